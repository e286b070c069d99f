-- Application references are random (DOST-2026-K7QM-3XWD: 8 symbols of a 32-letter alphabet
-- without I, O, 0, 1, from a cryptographic generator), so they cannot be counted through; see
-- newReference in src/modules/cases/repository.ts. References issued before stay valid (the
-- column and its unique constraint are unchanged; the API accepts both forms).
COMMENT ON COLUMN applications.reference IS 'Human reference printed on receipts: DOST-<year>-XXXX-XXXX, random from a 32-symbol alphabet without look-alikes (I, O, 0, 1); unique, a collision is drawn again. Older rows keep their sequential DOST-<year>-0000123.';
COMMENT ON SEQUENCE application_number_seq IS 'Numbered the sequential references issued before migration 0016; no longer used for new applications.';
