/*
 * svg.h - one packet's path drawn: hooks left to right, each table/chain a
 * box with the rules the packet hit, jumps and returns as arrows, NAT
 * rewrites where they happened, the verdict, the diagnosis and the
 * capture evidence. As SVG (standalone or inline in HTML) or Graphviz DOT.
 */
#ifndef NL_SVG_H
#define NL_SVG_H

#include "natlog.h"
#include "analyze.h"
#include "store.h"

#include <stdio.h>

struct nl_path {
	const struct nl_packet_row *p;
	const struct nl_analysis *a;
	const struct nl_hop *hops;	/* the packet on every host, this one too */
	int nhops;			/* 0 when no other host traced it */
	struct nl_store *s;		/* to draw the hops' paths too, or NULL */
};

/* Writes s for XML/HTML text or a quoted attribute: & < > " ' escaped,
 * control bytes and bytes that are not UTF-8 as the text "\xNN". */
void nl_xml_puts(FILE *f, const char *s);

/* inline: no XML declaration (for an HTML page); ids in the drawing are
 * prefixed with the trace id so that several can share a page. */
void nl_svg_path(FILE *f, const struct nl_path *pp, int inline_svg);
void nl_dot_path(FILE *f, const struct nl_path *pp);

/* explain --svg/--dot: to path, or stdout when path is NULL or "-".
 * Returns an exit status (0, or NL_EXIT_STORE when it cannot be written). */
int nl_path_write(const char *path, int dot, const struct nl_path *pp);

#endif
