-- The audit log is append-only and hash-chained (docs/privacy.md). A row is written without
-- `chain` and `hash`; sealing (`fika audit verify`, and the server every minute) gives each
-- unsealed row, in order of seq, the next position in the chain and the SHA-256 of its
-- content and the hash of the row sealed before it. The triggers refuse every DELETE, and
-- every UPDATE but the one that seals an unsealed row.

ALTER TABLE audit ADD COLUMN chain INTEGER;
ALTER TABLE audit ADD COLUMN hash TEXT;
CREATE UNIQUE INDEX audit_by_chain ON audit (chain) WHERE chain IS NOT NULL;
CREATE INDEX audit_unsealed ON audit (seq) WHERE chain IS NULL;

CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only: its rows cannot be removed');
END;

CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
WHEN OLD.chain IS NOT NULL OR NEW.chain IS NULL OR NEW.hash IS NULL
    OR NEW.seq IS NOT OLD.seq OR NEW.who IS NOT OLD.who OR NEW.at IS NOT OLD.at
    OR NEW.action IS NOT OLD.action OR NEW.participant_id IS NOT OLD.participant_id
    OR NEW.detail IS NOT OLD.detail
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only: its rows cannot be changed');
END;
