-- Built when packets are analysed in a store that holds captured TCP
-- frames (store_wire_ports() in store.c), then kept up to date like any
-- index. Analysis asks whether a capture holds the peer's acknowledgement
-- of a packet whose drop it inferred: a reply with the ports of either
-- NAT form. Without it that read every frame, once per packet; kept from
-- the start, it cost a capture's import a third of its time, though a
-- capture alone has no packet to analyse.

CREATE INDEX IF NOT EXISTS frames_ports ON frames(dport, sport) WHERE proto = 6;
