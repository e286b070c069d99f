import { Alert, Anchor, Badge, Button, Grid, Group, NativeSelect, NumberInput, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api } from '../../api.ts';
import { StatusBadge } from '../../components/badges.tsx';
import { DataTable } from '../../components/DataTable.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { Fact, FactList } from '../../components/Fact.tsx';
import { useFormat, useL } from '../../components/format.ts';
import { QueryState } from '../../components/QueryState.tsx';
import { Section } from '../../components/Section.tsx';
import { usePageTitle } from '../../components/usePageTitle.ts';
import { useAllServices } from '../catalog/queries.ts';
import { StaffCenter } from './StaffCenter.tsx';
import { bakuTime, queueApi, type CallNext, type OpenApplication, type Ticket, type TicketAction } from './queueApi.ts';

/** Operator console at a window: call next, serve, finish, no-show, recall, transfer. */
export function ConsolePage() {
  const { t } = useTranslation();
  usePageTitle(t('queue.console.title'));
  return <StaffCenter>{(centerCode) => <Console centerCode={centerCode} />}</StaffCenter>;
}

function Console({ centerCode }: { centerCode: string }) {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const windowNo = Number(params.get('window')) || 0;
  const windows = useQuery({ queryKey: ['queue', 'windows', centerCode], queryFn: () => queueApi.windows(centerCode) });
  return (
    <Stack gap="lg">
      <Title order={1}>{t('queue.console.title')}</Title>
      <QueryState query={windows}>
        {(list) => (
          <NativeSelect
            label={t('queue.console.window')}
            w={280}
            value={windowNo ? String(windowNo) : ''}
            onChange={(e) => setParams(e.currentTarget.value ? { window: e.currentTarget.value } : {}, { replace: true })}
            data={[
              { value: '', label: t('form.choose') },
              ...list.map((w) => ({
                value: String(w.windowNo),
                label: `${t('queue.console.windowNo', { no: w.windowNo })}${w.isOpen ? '' : ` (${t('queue.closed')})`}`,
              })),
            ]}
          />
        )}
      </QueryState>
      {windowNo && windows.data ? (
        <WindowDesk
          key={windowNo}
          centerCode={centerCode}
          windowNo={windowNo}
          heldTicketId={windows.data.find((w) => w.windowNo === windowNo)?.ticket?.id ?? null}
          isOpen={windows.data.find((w) => w.windowNo === windowNo)?.isOpen ?? false}
        />
      ) : null}
    </Stack>
  );
}

function WindowDesk({ centerCode, windowNo, heldTicketId, isOpen }: { centerCode: string; windowNo: number; heldTicketId: number | null; isOpen: boolean }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [called, setCalled] = useState<CallNext | null>(null);
  const [empty, setEmpty] = useState(false);
  const [lastId, setLastId] = useState<number | null>(null);
  const ticketId = called?.ticket?.id ?? heldTicketId ?? lastId;
  const ticket = useQuery({
    queryKey: ['queue', 'ticket', ticketId],
    queryFn: () => queueApi.ticket(ticketId as number),
    enabled: ticketId != null,
    initialData: called?.ticket && called.ticket.id === ticketId ? called.ticket : undefined,
  });
  const refresh = () => qc.invalidateQueries({ queryKey: ['queue', 'windows', centerCode] });

  const callNext = useMutation({
    mutationFn: () => queueApi.callNext(centerCode, windowNo),
    onSuccess: (r) => {
      setEmpty(!r.ticket);
      setCalled(r.ticket ? r : null);
      setLastId(r.ticket?.id ?? null);
      if (r.ticket) qc.setQueryData(['queue', 'ticket', r.ticket.id], r.ticket);
      void refresh();
    },
  });
  const act = useMutation({
    mutationFn: ({ action }: { action: TicketAction }) => queueApi.act(ticketId as number, action),
    onSuccess: (tk) => afterChange(tk),
  });
  const transfer = useMutation({
    mutationFn: (body: { windowNo?: number; serviceCode?: string }) => queueApi.transfer(ticketId as number, body),
    onSuccess: (tk) => afterChange(tk),
  });
  const afterChange = (tk: Ticket) => {
    qc.setQueryData(['queue', 'ticket', tk.id], tk);
    setLastId(tk.id);
    setEmpty(false);
    if (tk.status === 'done' || tk.status === 'no_show' || tk.status === 'waiting') setCalled(null);
    void refresh();
  };

  const current = ticketId != null && ticket.data && (ticket.data.status === 'called' || ticket.data.status === 'serving') && ticket.data.windowNo === windowNo ? ticket.data : null;
  const lastDone = ticket.data && !current ? ticket.data : null;
  const busy = callNext.isPending || act.isPending || transfer.isPending;

  return (
    <Grid gap="lg">
      <Grid.Col span={{ base: 12, lg: 6 }}>
        <Stack gap="lg">
          <Section title={t('queue.console.ticket')}>
            {current ? (
              <Stack gap="md">
                <Group gap="lg" align="center">
                  <Text fz={56} fw={800} ff="monospace" lh={1} data-testid="current-ticket">
                    {current.number}
                  </Text>
                  <Stack gap={4}>
                    <Badge size="lg" color={current.status === 'serving' ? 'green' : 'blue'} data-status={current.status}>
                      {t(`queue.ticketStatus.${current.status}`)}
                    </Badge>
                    {current.priority !== 'normal' ? <Badge color="grape">{t(`queue.priority.${current.priority}`)}</Badge> : null}
                  </Stack>
                </Group>
                <FactList>
                  <Fact label={t('queue.console.service')}>
                    <ServiceName code={current.serviceCode} />
                  </Fact>
                  <Fact label={t('queue.console.queuedAt')}>{bakuTime(current.queuedAt)}</Fact>
                  <Fact label={t('queue.console.calledAt')}>{bakuTime(current.calledAt)}</Fact>
                  {current.recalls ? <Fact label={t('queue.console.recalls')}>{current.recalls}</Fact> : null}
                </FactList>
                <Group>
                  {current.status === 'called' ? (
                    <>
                      <Button size="md" color="green" onClick={() => act.mutate({ action: 'serve' })} disabled={busy}>
                        {t('queue.console.serve')}
                      </Button>
                      <Button size="md" variant="default" onClick={() => act.mutate({ action: 'recall' })} disabled={busy}>
                        {t('queue.console.recall')}
                      </Button>
                      <Button size="md" color="red" variant="light" onClick={() => act.mutate({ action: 'no-show' })} disabled={busy}>
                        {t('queue.console.noShow')}
                      </Button>
                    </>
                  ) : (
                    <Button size="md" color="green" onClick={() => act.mutate({ action: 'finish' })} disabled={busy}>
                      {t('queue.console.finish')}
                    </Button>
                  )}
                </Group>
                <TransferForm centerCode={centerCode} onTransfer={(b) => transfer.mutate(b)} pending={transfer.isPending} />
              </Stack>
            ) : (
              <Stack gap="sm" align="flex-start">
                {!isOpen ? <Alert color="orange">{t('queue.console.windowClosed')}</Alert> : null}
                {empty ? (
                  <Text role="status" c="dimmed">
                    {t('queue.console.nobody')}
                  </Text>
                ) : null}
                {lastDone ? (
                  <Text role="status">
                    {t('queue.console.lastTicket', { number: lastDone.number, status: t(`queue.ticketStatus.${lastDone.status}`) })}
                  </Text>
                ) : null}
                <Button size="xl" onClick={() => callNext.mutate()} loading={callNext.isPending} disabled={!isOpen}>
                  {t('queue.console.callNext')}
                </Button>
              </Stack>
            )}
            <Stack mt="sm" gap="xs">
              <ErrorAlert error={callNext.error ?? act.error ?? transfer.error} />
            </Stack>
          </Section>
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 6 }}>
        {current ? <CitizenPanel ticket={current} called={called?.ticket?.id === current.id ? called : null} /> : null}
      </Grid.Col>
    </Grid>
  );
}

function ServiceName({ code }: { code: string }) {
  const l = useL();
  const services = useAllServices();
  const s = services.data?.find((x) => x.code === code);
  return <>{s ? `${l(s.name)} (${code})` : code}</>;
}

function TransferForm({ centerCode, onTransfer, pending }: { centerCode: string; onTransfer: (b: { windowNo?: number; serviceCode?: string }) => void; pending: boolean }) {
  const { t } = useTranslation();
  const l = useL();
  const services = useQuery({ queryKey: ['queue', 'services', centerCode], queryFn: () => queueApi.centerServices(centerCode) });
  const [windowNo, setWindowNo] = useState<string | number>('');
  const [serviceCode, setServiceCode] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body: { windowNo?: number; serviceCode?: string } = {};
    if (typeof windowNo === 'number') body.windowNo = windowNo;
    if (serviceCode) body.serviceCode = serviceCode;
    if (!body.windowNo && !body.serviceCode) return;
    onTransfer(body);
  };
  return (
    <form onSubmit={submit} aria-label={t('queue.console.transfer')}>
      <Group align="flex-end">
        <NumberInput label={t('queue.console.toWindow')} value={windowNo} onChange={setWindowNo} min={1} max={999} w={140} allowDecimal={false} />
        <NativeSelect
          label={t('queue.console.toService')}
          value={serviceCode}
          onChange={(e) => setServiceCode(e.currentTarget.value)}
          data={[{ value: '', label: '—' }, ...(services.data ?? []).map((s) => ({ value: s.serviceCode, label: `${s.letter} · ${l(s.name)}` }))]}
          w={260}
        />
        <Button type="submit" variant="default" loading={pending} disabled={windowNo === '' && !serviceCode}>
          {t('queue.console.transfer')}
        </Button>
      </Group>
    </form>
  );
}

/** Who was called: the citizen (when the ticket names them), their open applications, and applying on their behalf. */
function CitizenPanel({ ticket, called }: { ticket: Ticket; called: CallNext | null }) {
  const { t } = useTranslation();
  const l = useL();
  const fmt = useFormat();
  const navigate = useNavigate();
  const services = useAllServices();
  const [serviceCode, setServiceCode] = useState(ticket.serviceCode);
  const citizenId = ticket.citizenId;
  const citizen = useQuery({
    queryKey: ['citizens', citizenId],
    queryFn: () => api.citizen(citizenId as number),
    enabled: citizenId != null && !called?.citizen,
  });
  const apps = useQuery({
    queryKey: ['applications', 'inbox', { citizenId }],
    queryFn: async () =>
      (await api.inbox({ citizenId: citizenId as number, pageSize: 100, sort: '-submittedAt' })).items
        .filter((a) => !['approved', 'rejected', 'withdrawn'].includes(a.status))
        .map((a): OpenApplication => ({ reference: a.reference, serviceCode: a.serviceCode, status: a.status, submittedAt: a.submittedAt, slaDueOn: a.slaDueOn })),
    enabled: citizenId != null && !called,
  });

  if (citizenId == null) {
    return (
      <Section title={t('queue.console.citizen')}>
        <Text c="dimmed">{t('queue.console.anonymous')}</Text>
      </Section>
    );
  }
  const person = called?.citizen ?? citizen.data ?? null;
  const openApps = called ? called.openApplications : apps.data ?? [];
  const applicable = (services.data ?? []).filter((s) => !s.proactive && s.channels.includes('center'));

  return (
    <Stack gap="lg">
      <Section title={t('queue.console.citizen')}>
        {person ? (
          <FactList>
            <Fact label={t('queue.console.name')}>{[person.lastName, person.firstName, person.patronymic].filter(Boolean).join(' ')}</Fact>
            <Fact label="FIN">
              <Anchor component={Link} to={`/operator?fin=${person.fin}`} ff="monospace">
                {person.fin}
              </Anchor>
            </Fact>
            <Fact label={t('queue.console.birthDate')}>{fmt.date(person.birthDate)}</Fact>
          </FactList>
        ) : (
          <Text c="dimmed">{t('common.loading')}</Text>
        )}
      </Section>
      <Section title={t('queue.console.openApplications')}>
        <DataTable<OpenApplication>
          caption={t('queue.console.openApplications')}
          rows={openApps}
          rowKey={(r) => r.reference}
          empty={t('applications.none')}
          columns={[
            {
              key: 'ref',
              header: t('applications.reference'),
              render: (r) => (
                <Anchor component={Link} to={`/officer/cases/${encodeURIComponent(r.reference)}`} ff="monospace" size="sm">
                  {r.reference}
                </Anchor>
              ),
            },
            { key: 'service', header: t('applications.service'), render: (r) => <ServiceName code={r.serviceCode} /> },
            { key: 'status', header: t('applications.status'), render: (r) => <StatusBadge status={r.status} /> },
            { key: 'sla', header: t('queue.console.slaDue'), render: (r) => fmt.date(r.slaDueOn) },
          ]}
        />
      </Section>
      <Section title={t('operator.applyOnBehalf')}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (serviceCode) navigate(`/operator/citizens/${citizenId}/apply/${encodeURIComponent(serviceCode)}`);
          }}
        >
          <Group align="flex-end">
            <NativeSelect
              label={t('operator.service')}
              value={serviceCode}
              onChange={(e) => setServiceCode(e.currentTarget.value)}
              data={[{ value: '', label: t('form.choose') }, ...applicable.map((s) => ({ value: s.code, label: l(s.name) }))]}
              w={320}
            />
            <Button type="submit" disabled={!serviceCode}>
              {t('operator.startApplication')}
            </Button>
          </Group>
        </form>
      </Section>
    </Stack>
  );
}
