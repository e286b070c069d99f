/**
 * The benefits dost assigns or offers proactively, as rules. Amounts, ages and thresholds are
 * parameters (data/parameters/*.json), never literals here.
 */
import {
  add, addDays, addMonths, and, c, div, eq, evalDate, fact, ge, gt, ifThen, isIn, known, lt, max, min, monthStart, monthsBetween, mul, not, or, param, round2, sub, today,
  type Condition, type L, type Rule,
} from './language.ts';

const t = (az: string, ru: string, en: string): L => ({ az, ru, en });

const beneficiaryKnown = (legal: string): Condition => ({
  id: 'recipient_known', when: eq(fact('beneficiary.known'), c(true)), legal,
  explain: {
    pass: t('Ödənişi alacaq şəxs reyestrdə məlumdur', 'Получатель выплаты известен в реестре', 'The person to receive the payment is known in the registry'),
    fail: t('Ödənişi alacaq şəxs reyestrdə tapılmadı', 'Получатель выплаты не найден в реестре', 'No person to receive the payment was found in the registry'),
  },
});

const alive = (legal: string): Condition => ({
  id: 'alive', when: eq(fact('person.alive'), c(true)), legal,
  explain: { pass: t('Şəxs sağdır', 'Лицо живо', 'The person is alive'), fail: t('Şəxs vəfat edib', 'Лицо умерло', 'The person has died') },
});

const SOCIAL_ALLOWANCES = 'Law on Social Allowances (2006, as amended); Presidential Decree of 2025 on allowance amounts from 1 July 2025';

export const childbirthAllowance: Rule = {
  id: 'childbirth_allowance', version: 1,
  name: t('Uşağın doğulmasına görə birdəfəlik müavinət', 'Единовременное пособие при рождении ребёнка', 'Childbirth allowance'),
  legalBasis: SOCIAL_ALLOWANCES, effective: { from: '2025-07-01' }, consent: 'not_required',
  subject: 'birth', evaluateAt: 'event', triggers: ['birth'], payment: 'one_off',
  conditions: [
    beneficiaryKnown('Law on Social Allowances, art. 10'),
    {
      id: 'live_birth', when: eq(fact('event.stillbirth'), c(false)), legal: 'Law on Social Allowances, art. 10',
      explain: {
        pass: t('Uşaq diri doğulub ({event.date})', 'Ребёнок родился живым ({event.date})', 'The child was born alive ({event.date})'),
        fail: t('Ölü doğulma halında müavinət verilmir', 'При мертворождении пособие не назначается', 'No allowance is paid for a stillbirth'),
      },
    },
  ],
  amount: param('childbirth_allowance'),
};

export const funeralAllowance: Rule = {
  id: 'funeral_allowance', version: 1,
  name: t('Dəfn üçün müavinət', 'Пособие на погребение', 'Funeral allowance'),
  legalBasis: SOCIAL_ALLOWANCES, effective: { from: '2025-07-01' }, consent: 'not_required',
  subject: 'death', evaluateAt: 'event', triggers: ['death'], payment: 'one_off',
  conditions: [beneficiaryKnown('Law on Social Allowances, art. 11')],
  amount: param('funeral_allowance'),
};

const disabilityDegree: Condition = {
  id: 'degree',
  // A re-assessment that sets no degree (under 31 %: the agency sends none) is decisive: no degree, no allowance.
  when: and(known(fact('event.degree')), isIn(fact('event.degree'), [1, 2, 3])), legal: 'Regulation on disability assessment (2022)',
  explain: { pass: t('Əlillik dərəcəsi: {event.degree}', 'Степень инвалидности: {event.degree}', 'Disability degree: {event.degree}'), fail: t('Əlillik dərəcəsi müəyyən edilməyib', 'Степень не установлена', 'No disability degree is set') },
};

const assessmentValid: Condition = {
  id: 'assessment_valid', when: or(not(known(fact('event.review_on'))), gt(fact('event.review_on'), evalDate)), legal: 'Regulation on disability assessment (2022)',
  explain: {
    pass: t('Əlillik qüvvədədir (təkrar baxış: {event.review_on})', 'Инвалидность действует (переосвидетельствование: {event.review_on})', 'The disability is in force (review: {event.review_on})'),
    fail: t('Təkrar baxış tarixi keçib ({event.review_on})', 'Срок переосвидетельствования прошёл ({event.review_on})', 'The review date has passed ({event.review_on})'),
  },
};

/** An amount by disability degree: parameters `<prefix>_degree_1..3`. */
const byDegree = (prefix: string) => ifThen(eq(fact('event.degree'), c(1)), param(`${prefix}_degree_1`),
  ifThen(eq(fact('event.degree'), c(2)), param(`${prefix}_degree_2`), param(`${prefix}_degree_3`)));

/** What the adult and the child disability allowances share: assigned monthly from the latest assessment, re-read on a death. */
const disabilityRule: Pick<Rule, 'legalBasis' | 'effective' | 'consent' | 'subject' | 'evaluateAt' | 'triggers' | 'payment'> = {
  legalBasis: SOCIAL_ALLOWANCES, effective: { from: '2025-07-01' }, consent: 'not_required',
  subject: 'disability_assessment', evaluateAt: 'today', triggers: ['disability_assessment', 'death'], payment: 'monthly',
};

export const disabilityAllowance: Rule = {
  id: 'disability_allowance', version: 1,
  name: t('Əlilliyə görə sosial müavinət', 'Социальное пособие по инвалидности', 'Disability allowance'),
  ...disabilityRule,
  conditions: [
    alive('Law on Social Allowances, art. 7'),
    {
      id: 'adult', when: ge(monthsBetween(fact('person.birth_date'), evalDate), c(216)), legal: 'Law on Social Allowances, art. 7 (children: art. 8)',
      explain: {
        pass: t('Şəxs 18 yaşına çatıb', 'Лицу исполнилось 18 лет', 'The person is 18 or older'),
        fail: t('18 yaşınadək uşaqlar üçün ayrıca müavinət var', 'Для детей до 18 лет предусмотрено отдельное пособие', 'Children under 18 have a separate allowance'),
      },
    },
    disabilityDegree,
    assessmentValid,
  ],
  amount: byDegree('disability_allowance'),
  periodTo: fact('event.review_on'),
};

export const childDisabilityAllowance: Rule = {
  id: 'child_disability_allowance', version: 1,
  name: t('18 yaşınadək əlilliyi olan uşağa görə sosial müavinət', 'Социальное пособие на ребёнка с инвалидностью до 18 лет', 'Allowance for a child with a disability under 18'),
  // The child is the beneficiary on record; a parent or guardian receives it for the child.
  ...disabilityRule,
  conditions: [
    alive('Law on Social Allowances, art. 8'),
    {
      id: 'under_18', when: lt(monthsBetween(fact('person.birth_date'), evalDate), c(216)), legal: 'Law on Social Allowances, art. 8',
      explain: {
        pass: t('Uşaq 18 yaşına çatmayıb (doğum tarixi {person.birth_date})', 'Ребёнку нет 18 лет (дата рождения {person.birth_date})', 'The child is under 18 (born {person.birth_date})'),
        fail: t('Şəxs 18 yaşına çatıb: böyüklər üçün əlillik müavinəti tətbiq olunur', 'Лицу исполнилось 18 лет: действует пособие для взрослых', 'The person is 18 or older: the adult disability allowance applies'),
      },
    },
    disabilityDegree,
    assessmentValid,
  ],
  amount: byDegree('child_disability_allowance'),
  // Until the review date, and at the latest until the 18th birthday, when the adult allowance takes over.
  periodTo: ifThen(and(known(fact('event.review_on')), lt(fact('event.review_on'), addMonths(fact('person.birth_date'), c(216)))),
    fact('event.review_on'), addMonths(fact('person.birth_date'), c(216))),
};

export const oldAgePension: Rule = {
  id: 'old_age_pension', version: 1,
  name: t('Yaşa görə əmək pensiyası', 'Трудовая пенсия по возрасту', 'Old-age labour pension'),
  legalBasis: 'Law on Labour Pensions (2006), art. 7 and 22-1', effective: { from: '2025-07-01' }, consent: 'required',
  subject: 'person', evaluateAt: 'today', triggers: ['insurance_record'], payment: 'monthly',
  conditions: [
    alive('Law on Labour Pensions, art. 7'),
    {
      id: 'retirement_age', legal: 'Law on Labour Pensions, art. 7.1',
      when: ge(monthsBetween(fact('person.birth_date'), evalDate),
        ifThen(eq(fact('person.sex'), c('M')), param('retirement_age_months_men'), param('retirement_age_months_women'))),
      explain: {
        pass: t('Pensiya yaşına çatıb (doğum tarixi {person.birth_date})', 'Достигнут пенсионный возраст (дата рождения {person.birth_date})', 'Has reached pension age (born {person.birth_date})'),
        fail: t('Pensiya yaşına hələ çatmayıb (doğum tarixi {person.birth_date})', 'Пенсионный возраст ещё не достигнут (дата рождения {person.birth_date})', 'Has not reached pension age yet (born {person.birth_date})'),
      },
    },
    {
      id: 'record_or_capital', legal: 'Law on Labour Pensions, art. 7.1 and 22-1',
      when: or(ge(fact('person.insurance_months'), param('minimum_insurance_record_months')),
        ge(fact('person.pension_capital'), mul(param('minimum_pension'), param('pension_capital_months')))),
      explain: {
        pass: t('Sığorta stajı ({person.insurance_months} ay) və ya pensiya kapitalı ({person.pension_capital} AZN) kifayətdir', 'Достаточен страховой стаж ({person.insurance_months} мес.) или пенсионный капитал ({person.pension_capital} AZN)', 'Insurance record ({person.insurance_months} months) or pension capital ({person.pension_capital} AZN) is enough'),
        fail: t('Sığorta stajı ({person.insurance_months} ay, tələb {minimum_insurance_record_months}) və pensiya kapitalı ({person.pension_capital} AZN) kifayət deyil', 'Недостаточны стаж ({person.insurance_months} мес., нужно {minimum_insurance_record_months}) и капитал ({person.pension_capital} AZN)', 'Neither the insurance record ({person.insurance_months} months, {minimum_insurance_record_months} needed) nor the pension capital ({person.pension_capital} AZN) is enough'),
      },
    },
  ],
  // Pension = capital ÷ expected months of payment, never below the minimum pension; with no
  // capital on record (the insurance-record route) the minimum pension.
  amount: ifThen(known(fact('person.pension_capital')),
    max(param('minimum_pension'), round2(div(fact('person.pension_capital'), param('expected_pension_payment_months')))),
    param('minimum_pension')),
};

export const targetedSocialAssistance: Rule = {
  id: 'targeted_social_assistance', version: 1,
  name: t('Ünvanlı dövlət sosial yardımı', 'Адресная государственная социальная помощь', 'Targeted social assistance'),
  legalBasis: 'Law on Targeted State Social Assistance (2005), art. 1 and 4', effective: { from: '2022-01-01' }, consent: 'required',
  subject: 'household', evaluateAt: 'today', triggers: ['birth', 'death'], payment: 'monthly',
  conditions: [
    beneficiaryKnown('Law on Targeted State Social Assistance, art. 3'),
    {
      id: 'income_below_need', legal: 'Law on Targeted State Social Assistance, art. 4',
      when: lt(fact('household.monthly_income'), mul(param('need_criterion'), fact('household.size'))),
      explain: {
        pass: t('Ailənin orta aylıq gəliri ({household.monthly_income} AZN) ehtiyac meyarından ({need_criterion} × {household.size}) azdır', 'Среднемесячный доход семьи ({household.monthly_income} AZN) ниже критерия нуждаемости ({need_criterion} × {household.size})', 'The family\'s average monthly income ({household.monthly_income} AZN) is below the need criterion ({need_criterion} × {household.size})'),
        fail: t('Ailənin orta aylıq gəliri ({household.monthly_income} AZN) ehtiyac meyarından ({need_criterion} × {household.size}) az deyil', 'Среднемесячный доход семьи ({household.monthly_income} AZN) не ниже критерия ({need_criterion} × {household.size})', 'The family\'s average monthly income ({household.monthly_income} AZN) is not below the need criterion ({need_criterion} × {household.size})'),
      },
    },
  ],
  amount: round2(sub(mul(param('need_criterion'), fact('household.size')), fact('household.monthly_income'))),
  periodFrom: monthStart(evalDate),
  periodTo: addMonths(monthStart(evalDate), param('tsa_period_months')),
};

export const childUnderOneAllowance: Rule = {
  id: 'child_under_one_allowance', version: 1,
  name: t('ÜSY alan ailələrdə 1 yaşınadək uşağa görə müavinət', 'Пособие на ребёнка до 1 года в семьях, получающих АСП', 'Allowance for a child under one in a TSA family'),
  legalBasis: SOCIAL_ALLOWANCES, effective: { from: '2025-07-01' }, consent: 'not_required',
  subject: 'birth', evaluateAt: 'today', triggers: ['birth'], payment: 'monthly',
  conditions: [
    beneficiaryKnown('Law on Social Allowances'),
    {
      id: 'child_alive', when: eq(fact('child.alive'), c(true)), legal: 'Law on Social Allowances',
      explain: { pass: t('Uşaq sağdır', 'Ребёнок жив', 'The child is alive'), fail: t('Uşaq vəfat edib', 'Ребёнок умер', 'The child has died') },
    },
    {
      id: 'under_one', when: lt(monthsBetween(fact('child.birth_date'), evalDate), c(12)), legal: 'Law on Social Allowances',
      explain: {
        pass: t('Uşaq 1 yaşınadəkdir (doğum tarixi {child.birth_date})', 'Ребёнку нет 1 года (дата рождения {child.birth_date})', 'The child is under one (born {child.birth_date})'),
        fail: t('Uşaq 1 yaşına çatıb (doğum tarixi {child.birth_date})', 'Ребёнку исполнился 1 год (дата рождения {child.birth_date})', 'The child has turned one (born {child.birth_date})'),
      },
    },
    {
      id: 'family_receives_tsa', when: eq(fact('household.receives_tsa'), c(true)), legal: 'Law on Targeted State Social Assistance',
      explain: { pass: t('Ailə ünvanlı sosial yardım alır', 'Семья получает адресную социальную помощь', 'The family receives targeted social assistance'), fail: t('Ailə ünvanlı sosial yardım almır', 'Семья не получает адресную социальную помощь', 'The family does not receive targeted social assistance') },
    },
  ],
  amount: param('child_under_one_allowance'),
  // The first day the child is one (completed months): a 29 February child turns one on 1 March.
  periodTo: addDays(addMonths(addDays(fact('child.birth_date'), c(-1)), c(12)), c(1)),
};

export const unemploymentInsurance: Rule = {
  id: 'unemployment_insurance', version: 1,
  name: t('İşsizlikdən sığorta ödənişi', 'Страховая выплата по безработице', 'Unemployment insurance payment'),
  legalBasis: 'Law on Unemployment Insurance (2017), art. 9, 11 and 12', effective: { from: '2025-01-01' }, consent: 'required',
  subject: 'employment_end', evaluateAt: 'event', triggers: ['employment_end'], payment: 'monthly',
  conditions: [
    alive('Law on Unemployment Insurance'),
    {
      id: 'insured_reason', when: isIn(fact('event.reason'), ['liquidation', 'staff_cut', 'fixed_term_end']), legal: 'Law on Unemployment Insurance, art. 9',
      explain: {
        pass: t('Əmək müqaviləsi sığorta halı ilə xitam olunub ({event.reason})', 'Трудовой договор прекращён по страховому случаю ({event.reason})', 'The contract ended for an insured reason ({event.reason})'),
        fail: t('Xitam səbəbi ({event.reason}) sığorta halı deyil', 'Причина прекращения ({event.reason}) не является страховым случаем', 'The reason the contract ended ({event.reason}) is not an insured one'),
      },
    },
    {
      id: 'insured_long_enough', when: ge(fact('person.insurance_months'), param('unemployment_min_insured_months')), legal: 'Law on Unemployment Insurance, art. 9',
      explain: {
        pass: t('Sığorta stajı {person.insurance_months} aydır (tələb {unemployment_min_insured_months})', 'Страховой стаж {person.insurance_months} мес. (нужно {unemployment_min_insured_months})', 'Insured for {person.insurance_months} months ({unemployment_min_insured_months} needed)'),
        fail: t('Sığorta stajı {person.insurance_months} aydır, {unemployment_min_insured_months} tələb olunur', 'Страховой стаж {person.insurance_months} мес., нужно {unemployment_min_insured_months}', 'Insured for {person.insurance_months} months; {unemployment_min_insured_months} are needed'),
      },
    },
    {
      id: 'within_period', when: lt(today, addMonths(fact('event.date'), param('unemployment_duration_months'))), legal: 'Law on Unemployment Insurance, art. 12',
      explain: {
        pass: t('Ödəniş müddəti bitməyib', 'Срок выплаты не истёк', 'The payment period has not ended'),
        fail: t('Ödəniş müddəti bitib ({event.date} tarixindən {unemployment_duration_months} ay)', 'Срок выплаты истёк ({unemployment_duration_months} мес. с {event.date})', 'The payment period has ended ({unemployment_duration_months} months from {event.date})'),
      },
    },
  ],
  amount: round2(mul(
    max(param('minimum_wage'), min(param('unemployment_ceiling'), mul(fact('event.average_wage'), param('unemployment_rate')))),
    add(c(1), min(param('unemployment_child_supplement_cap'), mul(fact('person.dependent_children'), param('unemployment_child_supplement')))),
  )),
  periodFrom: fact('event.date'),
  periodTo: addMonths(fact('event.date'), param('unemployment_duration_months')),
};

/** Every rule in force or once in force, newest version last for each id. */
export const RULES: readonly Rule[] = [
  childbirthAllowance, funeralAllowance, disabilityAllowance, childDisabilityAllowance, oldAgePension, targetedSocialAssistance, childUnderOneAllowance, unemploymentInsurance,
];
