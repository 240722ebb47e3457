/*
 * dynlib.h - libarchive, libpcap and libcrypto are loaded when an import first needs
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
	X(archive_read_support_format_tar) X(archive_read_new) X(archive_entry_filetype)     \
	X(archive_read_next_header) X(archive_format) X(archive_entry_pathname)             \
	X(archive_read_open) X(archive_set_error) X(archive_read_data_block)                \
	X(archive_entry_mtime) X(archive_entry_mtime_is_set)
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
#define archive_read_new (*nl_ar.archive_read_new_)
#define archive_entry_filetype (*nl_ar.archive_entry_filetype_)
#define archive_read_next_header (*nl_ar.archive_read_next_header_)
#define archive_format (*nl_ar.archive_format_)
#define archive_entry_pathname (*nl_ar.archive_entry_pathname_)
#define archive_read_open (*nl_ar.archive_read_open_)
#define archive_set_error (*nl_ar.archive_set_error_)
#define archive_read_data_block (*nl_ar.archive_read_data_block_)
#define archive_entry_mtime (*nl_ar.archive_entry_mtime_)
#define archive_entry_mtime_is_set (*nl_ar.archive_entry_mtime_is_set_)
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

/* The decompressors natlog drives itself (libarchive would drop the last
 * block it had decoded when a file is cut short). */
#ifndef NL_DL_FIELD
#define NL_DL_FIELD(f) __typeof__(f) *f##_;
#endif
#ifdef ZLIB_H
#define NL_Z_FUNCS(X) X(inflateInit2_) X(inflate) X(inflateEnd) X(inflateReset)
struct nl_dl_z {
	NL_Z_FUNCS(NL_DL_FIELD)
};
extern struct nl_dl_z nl_z;
#ifndef NL_DL_NO_REDIRECT
#define inflateInit2_ (*nl_z.inflateInit2__)
#define inflate (*nl_z.inflate_)
#define inflateEnd (*nl_z.inflateEnd_)
#define inflateReset (*nl_z.inflateReset_)
#endif
#endif
#ifdef LZMA_H
#define NL_XZ_FUNCS(X) X(lzma_stream_decoder) X(lzma_code) X(lzma_end)
struct nl_dl_xz {
	NL_XZ_FUNCS(NL_DL_FIELD)
};
extern struct nl_dl_xz nl_xz;
#ifndef NL_DL_NO_REDIRECT
#define lzma_stream_decoder (*nl_xz.lzma_stream_decoder_)
#define lzma_code (*nl_xz.lzma_code_)
#define lzma_end (*nl_xz.lzma_end_)
#endif
#endif
#ifdef _BZLIB_H
#define NL_BZ_FUNCS(X) X(BZ2_bzDecompressInit) X(BZ2_bzDecompress) X(BZ2_bzDecompressEnd)
struct nl_dl_bz {
	NL_BZ_FUNCS(NL_DL_FIELD)
};
extern struct nl_dl_bz nl_bz;
#ifndef NL_DL_NO_REDIRECT
#define BZ2_bzDecompressInit (*nl_bz.BZ2_bzDecompressInit_)
#define BZ2_bzDecompress (*nl_bz.BZ2_bzDecompress_)
#define BZ2_bzDecompressEnd (*nl_bz.BZ2_bzDecompressEnd_)
#endif
#endif
#ifdef ZSTD_H_235446
#define NL_ZST_FUNCS(X) X(ZSTD_createDStream) X(ZSTD_freeDStream) X(ZSTD_decompressStream) \
	X(ZSTD_isError) X(ZSTD_getErrorName)
struct nl_dl_zst {
	NL_ZST_FUNCS(NL_DL_FIELD)
};
extern struct nl_dl_zst nl_zst;
#ifndef NL_DL_NO_REDIRECT
#define ZSTD_createDStream (*nl_zst.ZSTD_createDStream_)
#define ZSTD_freeDStream (*nl_zst.ZSTD_freeDStream_)
#define ZSTD_decompressStream (*nl_zst.ZSTD_decompressStream_)
#define ZSTD_isError (*nl_zst.ZSTD_isError_)
#define ZSTD_getErrorName (*nl_zst.ZSTD_getErrorName_)
#endif
#endif

#ifdef OPENSSL_EVP_H
#ifndef NL_DL_FIELD
#define NL_DL_FIELD(f) __typeof__(f) *f##_;
#endif
#define NL_CRYPTO_FUNCS(X) X(EVP_MD_CTX_new) X(EVP_MD_CTX_free) X(EVP_DigestInit_ex) \
	X(EVP_DigestUpdate) X(EVP_DigestFinal_ex) X(EVP_sha256)
struct nl_dl_crypto {
	NL_CRYPTO_FUNCS(NL_DL_FIELD)
};
extern struct nl_dl_crypto nl_cr;
#ifndef NL_DL_NO_REDIRECT
#define EVP_MD_CTX_new (*nl_cr.EVP_MD_CTX_new_)
#define EVP_MD_CTX_free (*nl_cr.EVP_MD_CTX_free_)
#define EVP_DigestInit_ex (*nl_cr.EVP_DigestInit_ex_)
#define EVP_DigestUpdate (*nl_cr.EVP_DigestUpdate_)
#define EVP_DigestFinal_ex (*nl_cr.EVP_DigestFinal_ex_)
#define EVP_sha256 (*nl_cr.EVP_sha256_)
#endif
#endif

/* The decompressors by the magic they read: 'g' gzip, 'x' xz, 'b' bzip2,
 * 'z' zstd; as nl_dl_archive(). */
int nl_dl_decompressor(int which, char *err, size_t n);

/* Load the library once (later calls return at once); 0, or -1 with what
 * is missing and the package to install in err. Thread-safe. */
int nl_dl_archive(char *err, size_t n);
int nl_dl_pcap(char *err, size_t n);
/* libcrypto, for SHA-256: only an import hashes, and mapping it took
 * 0.7 ms of every query. */
int nl_dl_crypto(char *err, size_t n);

#endif
