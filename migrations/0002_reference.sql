-- Reference data: geography, calendar, service catalog and the DOST network.
-- Small tables, replicated to every node under Citus (reference tables).

CREATE TABLE regions (
  region_code          text PRIMARY KEY,
  name_az              text NOT NULL,
  name_ru              text NOT NULL,
  name_en              text NOT NULL,
  population_share_pct numeric(5,2) NOT NULL
);
COMMENT ON TABLE regions IS 'The 14 economic regions (Decree 1386 of 7 Jul 2021).';
COMMENT ON COLUMN regions.region_code IS 'Stable code R01..R14.';
COMMENT ON COLUMN regions.name_az IS 'Name in Azerbaijani.';
COMMENT ON COLUMN regions.name_ru IS 'Name in Russian.';
COMMENT ON COLUMN regions.name_en IS 'Name in English.';
COMMENT ON COLUMN regions.population_share_pct IS 'Share of the national population, per cent.';

CREATE TABLE districts (
  district_code text PRIMARY KEY,
  region_code   text NOT NULL REFERENCES regions,
  name_az       text NOT NULL,
  name_ru       text NOT NULL,
  name_en       text NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('city', 'district', 'city_district')),
  population    integer NOT NULL CHECK (population >= 0),
  postal_prefix text
);
CREATE INDEX districts_region_idx ON districts (region_code);
COMMENT ON TABLE districts IS 'Administrative districts and cities, each in one economic region.';
COMMENT ON COLUMN districts.district_code IS 'Stable code, e.g. BAK-YAS.';
COMMENT ON COLUMN districts.region_code IS 'Economic region the district belongs to.';
COMMENT ON COLUMN districts.name_az IS 'Name in Azerbaijani.';
COMMENT ON COLUMN districts.name_ru IS 'Name in Russian.';
COMMENT ON COLUMN districts.name_en IS 'Name in English.';
COMMENT ON COLUMN districts.kind IS 'city, district (rayon) or city_district (a district of Baku).';
COMMENT ON COLUMN districts.population IS 'Population (see data/geo/regions.json for the source and date).';
COMMENT ON COLUMN districts.postal_prefix IS 'Postal code prefix, e.g. AZ1000.';

CREATE TABLE holidays (
  holiday_date date PRIMARY KEY,
  name_az      text NOT NULL,
  name_ru      text NOT NULL,
  name_en      text NOT NULL,
  kind         text NOT NULL
);
COMMENT ON TABLE holidays IS 'Non-working days other than weekends, for SLA working-day arithmetic.';
COMMENT ON COLUMN holidays.holiday_date IS 'The day off.';
COMMENT ON COLUMN holidays.name_az IS 'Name in Azerbaijani.';
COMMENT ON COLUMN holidays.name_ru IS 'Name in Russian.';
COMMENT ON COLUMN holidays.name_en IS 'Name in English.';
COMMENT ON COLUMN holidays.kind IS 'public, religious, or transferred (moved from a weekend, Labour Code art. 105).';

CREATE TABLE service_categories (
  category_code text PRIMARY KEY,
  name_az       text NOT NULL,
  name_ru       text NOT NULL,
  name_en       text NOT NULL,
  sort          integer NOT NULL
);
COMMENT ON TABLE service_categories IS 'Service catalog categories as published on dost.gov.az.';
COMMENT ON COLUMN service_categories.category_code IS 'Stable code, e.g. PENSIONS.';
COMMENT ON COLUMN service_categories.name_az IS 'Name in Azerbaijani.';
COMMENT ON COLUMN service_categories.name_ru IS 'Name in Russian.';
COMMENT ON COLUMN service_categories.name_en IS 'Name in English.';
COMMENT ON COLUMN service_categories.sort IS 'Display order.';

CREATE TABLE services (
  service_code       text PRIMARY KEY,
  category_code      text NOT NULL REFERENCES service_categories,
  name_az            text NOT NULL,
  name_ru            text NOT NULL,
  name_en            text NOT NULL,
  description_az     text NOT NULL,
  description_ru     text NOT NULL,
  description_en     text NOT NULL,
  channels           text[] NOT NULL,
  proactive          boolean NOT NULL DEFAULT false,
  legal_basis        text NOT NULL,
  documents          jsonb NOT NULL DEFAULT '[]',
  sla_working_days   integer NOT NULL CHECK (sla_working_days >= 0),
  counter_minutes    integer NOT NULL CHECK (counter_minutes >= 0),
  agency             text NOT NULL,
  fee_azn            numeric(10,2) NOT NULL DEFAULT 0,
  form               jsonb NOT NULL,
  active             boolean NOT NULL DEFAULT true,
  search_text        text NOT NULL DEFAULT ''
);
CREATE INDEX services_category_idx ON services (category_code);
COMMENT ON TABLE services IS 'The service catalog: every social service DOST delivers, with its passport.';
COMMENT ON COLUMN services.service_code IS 'Service passport id, e.g. 02-04-07-00.';
COMMENT ON COLUMN services.category_code IS 'Catalog category.';
COMMENT ON COLUMN services.name_az IS 'Name in Azerbaijani.';
COMMENT ON COLUMN services.name_ru IS 'Name in Russian.';
COMMENT ON COLUMN services.name_en IS 'Name in English.';
COMMENT ON COLUMN services.description_az IS 'Plain-language description, Azerbaijani.';
COMMENT ON COLUMN services.description_ru IS 'Plain-language description, Russian.';
COMMENT ON COLUMN services.description_en IS 'Plain-language description, English.';
COMMENT ON COLUMN services.channels IS 'Where it can be obtained: center, online, call_center, proactive.';
COMMENT ON COLUMN services.proactive IS 'Assigned from registry data without an application.';
COMMENT ON COLUMN services.legal_basis IS 'Law, decree and article the service rests on.';
COMMENT ON COLUMN services.documents IS 'Required documents [{code, name, from_registry}]; from_registry ones are never asked of the citizen.';
COMMENT ON COLUMN services.sla_working_days IS 'Time to decision in working days (0 = immediate).';
COMMENT ON COLUMN services.counter_minutes IS 'Expected front-office time at a window.';
COMMENT ON COLUMN services.agency IS 'Executing agency: DOST, DMA, DSMF, SXA, MSEC or MLSPP.';
COMMENT ON COLUMN services.fee_azn IS 'Fee in AZN (0 for almost all).';
COMMENT ON COLUMN services.form IS 'Form definition {fields:[...]} the application is validated against.';
COMMENT ON COLUMN services.active IS 'Offered now.';
COMMENT ON COLUMN services.search_text IS 'Lower-cased names and descriptions in all languages, for catalog search.';

CREATE TABLE centers (
  center_code      text PRIMARY KEY,
  kind             text NOT NULL CHECK (kind IN ('center', 'branch', 'smart_dost', 'point', 'mobile')),
  name_az          text NOT NULL,
  name_ru          text NOT NULL,
  name_en          text NOT NULL,
  address_az       text NOT NULL,
  address_ru       text NOT NULL,
  address_en       text NOT NULL,
  district_code    text NOT NULL REFERENCES districts,
  serves_districts text[] NOT NULL DEFAULT '{}',
  opened_on        date,
  status           text NOT NULL CHECK (status IN ('open', 'under_construction', 'closed')),
  windows          integer NOT NULL DEFAULT 0,
  capacity_per_day integer,
  hours            jsonb NOT NULL DEFAULT '{}',
  confirmed        boolean NOT NULL DEFAULT true
);
COMMENT ON TABLE centers IS 'DOST centers, branches, Smart DOST and DOST points.';
COMMENT ON COLUMN centers.center_code IS 'Stable code, e.g. BAKU-1.';
COMMENT ON COLUMN centers.kind IS 'center, branch, smart_dost, point or mobile.';
COMMENT ON COLUMN centers.name_az IS 'Name in Azerbaijani.';
COMMENT ON COLUMN centers.name_ru IS 'Name in Russian.';
COMMENT ON COLUMN centers.name_en IS 'Name in English.';
COMMENT ON COLUMN centers.address_az IS 'Street address, Azerbaijani.';
COMMENT ON COLUMN centers.address_ru IS 'Street address, Russian.';
COMMENT ON COLUMN centers.address_en IS 'Street address, English.';
COMMENT ON COLUMN centers.district_code IS 'District the center stands in.';
COMMENT ON COLUMN centers.serves_districts IS 'Districts whose residents it serves.';
COMMENT ON COLUMN centers.opened_on IS 'Opening date; NULL if not known or not yet open.';
COMMENT ON COLUMN centers.status IS 'open, under_construction or closed.';
COMMENT ON COLUMN centers.windows IS 'Number of service windows.';
COMMENT ON COLUMN centers.capacity_per_day IS 'Citizens served per day when known.';
COMMENT ON COLUMN centers.hours IS 'Opening hours, e.g. {"mon_fri":["09:00","18:00"]}.';
COMMENT ON COLUMN centers.confirmed IS 'False where the facts are not confirmed by a public source.';
