#!/usr/bin/env python3
"""METRICS.md's quarterly outcomes of every program together, computed by a peer straight
from an interchange folder's CSV files, to time and check `fika outcomes --all` against.

    outcomes_peers.py duckdb|pandas DIR YYYYQn

Prints one JSON object with the counts of METRICS.md summed over every program (the
figures `fika outcomes --all --quarter Q --format json` prints), on one line.
"""
import json
import sys

COUNTS = [
    "served", "working_competitive", "working_paid", "served_not_employed_at_entry",
    "working_competitive_not_employed_at_entry", "job_starts", "first_job_starts",
    "in_education", "enrolled", "exited",
]
PAID = ("competitive", "subsidized", "transitional")


def bounds(q):
    year, n = int(q[:4]), int(q[5])
    first = f"{year:04d}-{3 * n - 2:02d}-01"
    last = {1: "03-31", 2: "06-30", 3: "09-30", 4: "12-31"}[n]
    return first, f"{year:04d}-{last}"


def with_duckdb(folder, a, b):
    import duckdb
    con = duckdb.connect()
    sql = f"""
    WITH p AS (SELECT participant_id, enrolled_on, exited_on, employed_at_entry
               FROM read_csv('{folder}/participants.csv', header = true, all_varchar = true)),
         j AS (SELECT participant_id, kind, started_on, ended_on
               FROM read_csv('{folder}/jobs.csv', header = true, all_varchar = true)),
         per AS (
           SELECT participant_id,
             bool_or(kind = 'competitive' AND started_on <= '{b}' AND (ended_on IS NULL OR ended_on >= '{a}')) AS comp,
             bool_or(kind IN {PAID} AND started_on <= '{b}' AND (ended_on IS NULL OR ended_on >= '{a}')) AS paid,
             bool_or(kind = 'education' AND started_on <= '{b}' AND (ended_on IS NULL OR ended_on >= '{a}')) AS edu,
             count(*) FILTER (WHERE kind IN {PAID} AND started_on BETWEEN '{a}' AND '{b}') AS starts,
             min(started_on) FILTER (WHERE kind IN {PAID}) AS first_start
           FROM j GROUP BY participant_id),
         firsts AS (
           SELECT j.participant_id, count(*) AS n FROM j JOIN per USING (participant_id)
           WHERE j.kind IN {PAID} AND j.started_on = per.first_start
             AND j.started_on BETWEEN '{a}' AND '{b}' GROUP BY j.participant_id),
         x AS (
           SELECT p.*, coalesce(per.comp, false) AS comp, coalesce(per.paid, false) AS paid,
             coalesce(per.edu, false) AS edu, coalesce(per.starts, 0) AS starts,
             coalesce(firsts.n, 0) AS firsts,
             p.enrolled_on <= '{b}' AND (p.exited_on IS NULL OR p.exited_on >= '{a}') AS served
           FROM p LEFT JOIN per USING (participant_id) LEFT JOIN firsts USING (participant_id))
    SELECT count(*) FILTER (WHERE served),
           count(*) FILTER (WHERE served AND comp),
           count(*) FILTER (WHERE served AND paid),
           count(*) FILTER (WHERE served AND employed_at_entry = 'false'),
           count(*) FILTER (WHERE served AND comp AND employed_at_entry = 'false'),
           sum(starts), sum(firsts),
           count(*) FILTER (WHERE served AND edu),
           count(*) FILTER (WHERE enrolled_on BETWEEN '{a}' AND '{b}'),
           count(*) FILTER (WHERE exited_on BETWEEN '{a}' AND '{b}')
    FROM x"""
    return [int(v or 0) for v in con.execute(sql).fetchone()]


def with_pandas(folder, a, b):
    import pandas as pd
    p = pd.read_csv(f"{folder}/participants.csv", dtype=str, keep_default_na=False,
                    usecols=["participant_id", "enrolled_on", "exited_on", "employed_at_entry"])
    j = pd.read_csv(f"{folder}/jobs.csv", dtype=str, keep_default_na=False,
                    usecols=["participant_id", "kind", "started_on", "ended_on"])
    held = (j.started_on <= b) & ((j.ended_on == "") | (j.ended_on >= a))
    paid = j.kind.isin(PAID)
    starts = paid & (j.started_on >= a) & (j.started_on <= b)
    first = j[paid].groupby("participant_id").started_on.min()
    firsts = starts & (j.started_on == j.participant_id.map(first))
    served = (p.enrolled_on <= b) & ((p.exited_on == "") | (p.exited_on >= a))
    ids = lambda mask: set(j.participant_id[mask])
    comp = p.participant_id.isin(ids(held & (j.kind == "competitive")))
    anypaid = p.participant_id.isin(ids(held & paid))
    edu = p.participant_id.isin(ids(held & (j.kind == "education")))
    ne = p.employed_at_entry == "false"
    return [int(x) for x in [
        served.sum(), (served & comp).sum(), (served & anypaid).sum(), (served & ne).sum(),
        (served & comp & ne).sum(), starts.sum(), firsts.sum(), (served & edu).sum(),
        ((p.enrolled_on >= a) & (p.enrolled_on <= b)).sum(),
        ((p.exited_on != "") & (p.exited_on >= a) & (p.exited_on <= b)).sum(),
    ]]


def main():
    peer, folder, quarter = sys.argv[1:4]
    a, b = bounds(quarter)
    values = {"duckdb": with_duckdb, "pandas": with_pandas}[peer](folder, a, b)
    print(json.dumps(dict(zip(COUNTS, values))))


if __name__ == "__main__":
    main()
