/*
 * dynlib.h - libarchive and libpcap are loaded when an import first needs
 * them, not when natlog starts: the two bring seventeen more shared
 * libraries (libxml2, ICU, systemd, dbus, the compressors), and mapping
 * them took half of every query's run time. Code that calls them includes
 * this header after <archive.h> or <pcap/pcap.h> and calls them by their
 * usual names, which the definitions below route through the loaded
 * tables, once nl_dl_archive() or nl_dl_pcap() has returned 0.
 */
#ifndef NL_DYNLIB_H
#define NL_DYNLIB_H

#include <stddef.h>

#ifdef ARCHIVE_VERSION_NUMBER
#define NL_ARCHIVE_FUNCS(X)                                                                  \
	X(archive_error_string) X(archive_read_free) X(archive_read_support_format_zip)      \
	X(archive_read_support_format_tar) X(archive_read_support_format_raw)               \
	X(archive_read_support_filter_all) X(archive_read_new) X(archive_read_data)         \
	X(archive_entry_filetype) X(archive_read_open_memory) X(archive_read_open_fd)       \
	X(archive_read_next_header) X(archive_format) X(archive_entry_pathname)             \
	X(archive_read_open) X(archive_set_error)
#define NL_DL_FIELD(f) __typeof__(f) *f##_;
struct nl_dl_archive {
	NL_ARCHIVE_FUNCS(NL_DL_FIELD)
};
extern struct nl_dl_archive nl_ar;
#ifndef NL_DL_NO_REDIRECT	/* dynlib.c needs the names themselves */
#define archive_error_string (*nl_ar.archive_error_string_)
#define archive_read_free (*nl_ar.archive_read_free_)
#define archive_read_support_format_zip (*nl_ar.archive_read_support_format_zip_)
#define archive_read_support_format_tar (*nl_ar.archive_read_support_format_tar_)
#define archive_read_support_format_raw (*nl_ar.archive_read_support_format_raw_)
#define archive_read_support_filter_all (*nl_ar.archive_read_support_filter_all_)
#define archive_read_new (*nl_ar.archive_read_new_)
#define archive_read_data (*nl_ar.archive_read_data_)
#define archive_entry_filetype (*nl_ar.archive_entry_filetype_)
#define archive_read_open_memory (*nl_ar.archive_read_open_memory_)
#define archive_read_open_fd (*nl_ar.archive_read_open_fd_)
#define archive_read_next_header (*nl_ar.archive_read_next_header_)
#define archive_format (*nl_ar.archive_format_)
#define archive_entry_pathname (*nl_ar.archive_entry_pathname_)
#define archive_read_open (*nl_ar.archive_read_open_)
#define archive_set_error (*nl_ar.archive_set_error_)
#endif
#endif

#ifdef PCAP_ERRBUF_SIZE
#define NL_PCAP_FUNCS(X)                                                                     \
	X(pcap_close) X(pcap_datalink) X(pcap_datalink_val_to_name)                          \
	X(pcap_fopen_offline_with_tstamp_precision) X(pcap_geterr) X(pcap_next_ex)
#ifndef NL_DL_FIELD
#define NL_DL_FIELD(f) __typeof__(f) *f##_;
#endif
struct nl_dl_pcap {
	NL_PCAP_FUNCS(NL_DL_FIELD)
};
extern struct nl_dl_pcap nl_pc;
#ifndef NL_DL_NO_REDIRECT
#define pcap_close (*nl_pc.pcap_close_)
#define pcap_datalink (*nl_pc.pcap_datalink_)
#define pcap_datalink_val_to_name (*nl_pc.pcap_datalink_val_to_name_)
#define pcap_fopen_offline_with_tstamp_precision (*nl_pc.pcap_fopen_offline_with_tstamp_precision_)
#define pcap_geterr (*nl_pc.pcap_geterr_)
#define pcap_next_ex (*nl_pc.pcap_next_ex_)
#endif
#endif

/* Load the library once (later calls return at once); 0, or -1 with what
 * is missing and the package to install in err. Thread-safe. */
int nl_dl_archive(char *err, size_t n);
int nl_dl_pcap(char *err, size_t n);

#endif
