-- Secrets that every fika server on this database shares, created on first use: `login`
-- signs the tokens of sign-in forms, so that a form fetched from one server is accepted by
-- another and a token the server did not make is refused.
CREATE TABLE server_key (
    name TEXT PRIMARY KEY,
    secret TEXT NOT NULL
);
