-- natlog store, schema version 38: a kernel line's fingerprints (fp: its
-- kernel time stamp and message; fp2: its wall-clock second and message)
-- begin with the time (nl_fp_key() in util.c, natlog_fp_key() in SQL), so
-- a log's keys go into their indexes nearly in order, not each at a
-- random page; a key keeps only some bits of the message hash, and
-- lookups compare mh too. The keys of older stores are computed again
-- from each line's own times. A line of one kind of time (dmesg) that
-- another rendering's duplicate gave a wall-clock key keeps no fp2 (the
-- second that key was of is not stored): a later rendering with only
-- wall-clock times finds it by its message, as before that duplicate came.
UPDATE event_rows SET
    fp = CASE WHEN uptime IS NOT NULL THEN natlog_fp_key(0, uptime, mh)
              WHEN wsec IS NOT NULL THEN natlog_fp_key(1, wsec, mh) ELSE fp END,
    fp2 = CASE WHEN uptime IS NOT NULL AND wsec IS NOT NULL THEN natlog_fp_key(1, wsec, mh) END
WHERE mh IS NOT NULL;
UPDATE steps SET
    fp = CASE WHEN uptime IS NOT NULL THEN natlog_fp_key(0, uptime, mh)
              WHEN wsec IS NOT NULL THEN natlog_fp_key(1, wsec, mh) ELSE fp END,
    fp2 = CASE WHEN uptime IS NOT NULL AND wsec IS NOT NULL THEN natlog_fp_key(1, wsec, mh) END
WHERE mh IS NOT NULL;
