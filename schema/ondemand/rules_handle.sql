-- Built before packets are analysed in a store that holds a chain of
-- more than NL_MAXCHAIN rules (store_analysis_indexes() in store.c),
-- then kept up to date like any index. Such a chain is read one rule at
-- a time (ruleset.c), and an nft trace names its rule by handle: without
-- it each lookup read the whole chain. Kept from the start, it would
-- cost every nft dump's import for the few stores that need it.

CREATE INDEX IF NOT EXISTS rules_handle ON rules(ruleset_id, handle);
