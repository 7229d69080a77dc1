-- The audit log is append-only and hash-chained (docs/privacy.md). A row is written without
-- `chain` and `hash`; sealing (`fika audit verify`, and the server every minute) gives each
-- unsealed row, in order of seq, the next position in the chain and the SHA-256 of its
-- content and the hash of the row sealed before it. The trigger refuses every DELETE and
-- TRUNCATE, and every UPDATE but the one that seals an unsealed row.

ALTER TABLE audit ADD COLUMN chain BIGINT;
ALTER TABLE audit ADD COLUMN hash TEXT COLLATE "C";
CREATE UNIQUE INDEX audit_by_chain ON audit (chain) WHERE chain IS NOT NULL;
CREATE INDEX audit_unsealed ON audit (seq) WHERE chain IS NULL;

CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'TRUNCATE') THEN
        RAISE EXCEPTION 'the audit log is append-only: its rows cannot be removed';
    END IF;
    IF OLD.chain IS NOT NULL OR NEW.chain IS NULL OR NEW.hash IS NULL
        OR NEW.seq <> OLD.seq OR NEW.who <> OLD.who OR NEW.at <> OLD.at
        OR NEW.action <> OLD.action
        OR NEW.participant_id IS DISTINCT FROM OLD.participant_id
        OR NEW.detail IS DISTINCT FROM OLD.detail THEN
        RAISE EXCEPTION 'the audit log is append-only: its rows cannot be changed';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
    FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
