/*
 * gba/sms.h - SMS transfer layer TPDUs: SMS-DELIVER and SMS-SUBMIT, the User
 * Data Header, segmentation of a binary payload and fixed-storage
 * reassembly.
 *
 * 3GPP TS 23.040 (SM-TL): clause 9.2.2.1 (SMS-DELIVER), 9.2.2.2
 * (SMS-SUBMIT), 9.1.2.5 (address fields), 9.2.3.x (TP parameters),
 * 9.2.3.24 (TP-UD / UDH: IEI 0x00, 0x04, 0x05, 0x08); the modem PDU form
 * with the SMSC address in front follows TS 27.005 (+CMGR/+CMGL PDU mode).
 * The alphabet (TS 23.038 clause 4 (TP-DCS) and 6.2.1, GSM 7-bit default
 * alphabet) is gba/sms_alphabet.h, reassembly gba/sms_reasm.h, the modem's
 * AT result lines (host only) gba/sms_at.h.
 * The clause text behind most details was not available to the project:
 * many points are unconfirmed (widely implemented), docs/spec-facts.md
 * section 10; the project choices are listed, labelled, in
 * docs/wire-formats.md ("SMS, WAP Push and the GPI push").
 *
 * No heap, no stdio: usable by the UE firmware library.  Decoders take
 * (buf, len), walk it with struct gba_cur and return views into the input.
 */
#ifndef GBA_SMS_H
#define GBA_SMS_H

#include <stddef.h>
#include <stdint.h>
#include "gba/err.h"
#include "gba/sms_alphabet.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- limits (TS 23.040) ---- */
#define GBA_SMS_UD_MAX 140          /* TP-UD octets (9.2.3.24) */
#define GBA_SMS_UD_SEPTETS_MAX 160  /* TP-UDL for the 7-bit alphabet */
#define GBA_SMS_ADDR_MAX 20         /* digits or semi-octets of TP-OA/DA */
#define GBA_SMS_ALNUM_MAX 11        /* 7-bit characters in 20 semi-octets */
#define GBA_SMS_SCA_OCTETS_MAX 11   /* SCA length octet value (TOA + 10) */
/* longest TPDU: SUBMIT 1 + MR 1 + DA 12 + PID 1 + DCS 1 + VP 7 + UDL 1 + 140 */
#define GBA_SMS_TPDU_MAX 164
/* modem PDU: SCA (1 + 11) + TPDU */
#define GBA_SMS_PDU_MAX (1 + GBA_SMS_SCA_OCTETS_MAX + GBA_SMS_TPDU_MAX)

/* TP-MTI values (bits 1..0 of the first octet, 9.2.3.1). */
#define GBA_SMS_MTI_DELIVER 0
#define GBA_SMS_MTI_SUBMIT 1

/* TP-VPF (bits 4..3 of the SUBMIT first octet, 9.2.3.3). */
#define GBA_SMS_VPF_NONE 0
#define GBA_SMS_VPF_ENHANCED 1  /* 7 octets */
#define GBA_SMS_VPF_RELATIVE 2  /* 1 octet */
#define GBA_SMS_VPF_ABSOLUTE 3  /* 7 octets, TP-SCTS coding */

/* Type of number (TOA bits 6..4, 9.1.2.5). */
#define GBA_SMS_TON_UNKNOWN 0
#define GBA_SMS_TON_INTERNATIONAL 1
#define GBA_SMS_TON_NATIONAL 2
#define GBA_SMS_TON_ALPHANUMERIC 5
/* Numbering plan (TOA bits 3..0). */
#define GBA_SMS_NPI_UNKNOWN 0
#define GBA_SMS_NPI_E164 1

/* UDH information element identifiers (9.2.3.24, IEI table). */
#define GBA_SMS_IEI_CONCAT8 0x00
#define GBA_SMS_IEI_PORT8 0x04
#define GBA_SMS_IEI_PORT16 0x05
#define GBA_SMS_IEI_CONCAT16 0x08

/*
 * An address (TP-OA, TP-DA or the SMSC address).  For every TON except
 * alphanumeric, v[] holds n semi-octet values 0..14 (0-9, 10 '*', 11 '#',
 * 12 'a', 13 'b', 14 'c'); for TON 5 it holds n septets of the GSM 7-bit
 * default alphabet (0..127, 0x1B = escape to the extension table).
 */
struct gba_sms_addr {
	uint8_t ton;                 /* 0..7 */
	uint8_t npi;                 /* 0..15 */
	uint8_t n;                   /* digits or septets in v[] */
	uint8_t v[GBA_SMS_ADDR_MAX];
};

/* TP-SCTS / absolute TP-VP (9.2.3.11): local time plus zone offset. */
struct gba_sms_ts {
	uint8_t year, month, day;    /* year 0..99 as transmitted */
	uint8_t hour, minute, second;
	int8_t tz;                   /* offset from GMT in quarters of an hour */
};

/* Parsed UDH (only the IEs this module interprets). */
struct gba_sms_udh {
	uint8_t has_concat; /* a valid concatenation IE was found */
	uint8_t concat16;   /* it was IEI 0x08 (16-bit reference) */
	uint16_t ref;
	uint8_t total, seq; /* 1 <= seq <= total */
	uint8_t concat_ignored; /* an invalid concat IE was ignored */
	uint8_t has_port;
	uint8_t port16;     /* IEI 0x05 (else 0x04) */
	uint16_t dst_port, src_port;
	uint8_t n_ies;      /* IEs walked, unknown ones included */
};

/*
 * A decoded TPDU (SMS-DELIVER or SMS-SUBMIT).  Pointers are views into the
 * decoder's input, valid while it is; the encoder reads udh/data.
 */
struct gba_sms_tpdu {
	uint8_t mti;        /* GBA_SMS_MTI_DELIVER or _SUBMIT */
	/* first octet (9.2.3.1 ff.) */
	uint8_t mms;        /* DELIVER bit 2 TP-MMS as sent: 1 = no more msgs */
	uint8_t lp;         /* DELIVER bit 3 TP-LP */
	uint8_t rd;         /* SUBMIT bit 2 TP-RD */
	uint8_t vpf;        /* SUBMIT bits 4..3 TP-VPF */
	uint8_t sri;        /* bit 5: TP-SRI (DELIVER) or TP-SRR (SUBMIT) */
	uint8_t udhi;       /* bit 6 TP-UDHI */
	uint8_t rp;         /* bit 7 TP-RP */
	uint8_t mr;         /* SUBMIT TP-MR */
	struct gba_sms_addr addr; /* TP-OA (DELIVER) or TP-DA (SUBMIT) */
	uint8_t pid;        /* TP-PID */
	uint8_t dcs;        /* TP-DCS */
	struct gba_sms_ts scts;   /* DELIVER TP-SCTS */
	uint8_t vp[7];      /* SUBMIT TP-VP raw octets (0, 1 or 7 used) */
	struct gba_sms_ts vp_abs; /* decoded when vpf == ABSOLUTE */
	uint8_t udl;        /* TP-UDL: septets (GSM7) or octets */
	/* derived by the decoder; udh/data are encoder inputs too */
	uint8_t alphabet;   /* GBA_SMS_ALPHA_* from dcs */
	const uint8_t *ud;  /* TP-UD octets, UDH included */
	size_t ud_len;
	const uint8_t *udh; /* the IEs after UDHL (NULL when udhi == 0) */
	size_t udh_len;     /* = UDHL */
	const uint8_t *data;/* user data after the UDH: octets (8-bit, UCS2);
			     * GSM7: packed octets starting with the septet
			     * after the UDH fill bits (data_skip bits in) */
	size_t data_len;    /* octets (8-bit/UCS2) or septets (GSM7) */
	uint8_t data_skip;  /* GSM7 only: bits to skip in data[0] (0..6) */
	/* the UDH IEs as the decoder parsed them (all zero without a UDH),
	 * so later layers (reassembly, port filter) need not parse again;
	 * udh_decoded = 1 says they are set: a TPDU built by hand leaves it
	 * 0 and gba_sms_reasm_add() parses udh itself */
	struct gba_sms_udh udh_ies;
	uint8_t udh_decoded;
};


/* ---- addresses ---- */

/**
 * gba_sms_addr_from_str() - build a numeric address from text.
 * @s:   [in] NUL-terminated "+4670..." (TON international, NPI E.164) or
 *       "0123..." (TON unknown, NPI E.164); digits, '*', '#', 'a'-'c'
 * @a:   [out] the address
 * Return: GBA_OK, GBA_ERR_BAD_PARAM (empty, bad character),
 * GBA_ERR_TOO_LARGE (more than GBA_SMS_ADDR_MAX digits).
 */
GBA_EXPORT int gba_sms_addr_from_str(const char *s, struct gba_sms_addr *a)
	GBA_WARN_UNUSED;

/**
 * gba_sms_addr_alnum() - build an alphanumeric address (TON 5, NPI 0) from
 * UTF-8 text in the GSM 7-bit default alphabet (extension characters cost
 * two septets).
 * Return: GBA_OK, GBA_ERR_BAD_PARAM (character outside the alphabet or bad
 * UTF-8), GBA_ERR_TOO_LARGE (more than GBA_SMS_ALNUM_MAX septets).
 */
GBA_EXPORT int gba_sms_addr_alnum(const char *utf8, struct gba_sms_addr *a)
	GBA_WARN_UNUSED;

/**
 * gba_sms_addr_to_str() - printable form: "+<digits>" for TON
 * international, the digits otherwise, UTF-8 text for alphanumeric.
 * @out: [out] NUL-terminated text in a buffer of @cap characters (80 is
 *       always enough).
 * Return: GBA_OK or GBA_ERR_NO_SPACE.
 */
GBA_EXPORT int gba_sms_addr_to_str(const struct gba_sms_addr *a, char *out,
				   size_t cap) GBA_WARN_UNUSED;

/** gba_sms_addr_eq() - 1 if both addresses are the same (TOA and value). */
GBA_EXPORT int gba_sms_addr_eq(const struct gba_sms_addr *a,
			       const struct gba_sms_addr *b);

/* ---- TPDU ---- */

/**
 * gba_sms_tpdu_decode() - decode one TPDU (no SMSC address in front).
 * TP-MTI 00 is read as SMS-DELIVER and 01 as SMS-SUBMIT (the reading a
 * phone's message store uses); the caller checks @t->mti.
 * @t: [out] cleared first; views point into @buf.
 * Return: GBA_OK; GBA_ERR_TRUNCATED (input ends early); GBA_ERR_MALFORMED
 * (address length > 20 semi-octets, filler digit inside an address, non-BCD
 * time stamp digit, TP-MTI 11, UDHL beyond TP-UD, a UDH IE beyond the UDH,
 * a known IE with the wrong length, the 7-bit UDH longer than TP-UDL);
 * GBA_ERR_TOO_LARGE (TP-UDL over 140 octets / 160 septets);
 * GBA_ERR_UNSUPPORTED (TP-MTI 10: STATUS-REPORT / COMMAND);
 * GBA_ERR_TRAILING (octets after TP-UD).
 */
GBA_EXPORT int gba_sms_tpdu_decode(const uint8_t *buf, size_t len,
				   struct gba_sms_tpdu *t) GBA_WARN_UNUSED;

/**
 * gba_sms_pdu_decode() - decode the modem PDU form: SMSC address (length
 * octet counting TOA + digit octets, 00 = none) then the TPDU.
 * @sca: [out] SMSC address (n = 0, ton = npi = 0 when the length octet is 0)
 * Return: as gba_sms_tpdu_decode(); GBA_ERR_MALFORMED for an SCA length
 * above GBA_SMS_SCA_OCTETS_MAX.
 */
GBA_EXPORT int gba_sms_pdu_decode(const uint8_t *buf, size_t len,
				  struct gba_sms_addr *sca,
				  struct gba_sms_tpdu *t) GBA_WARN_UNUSED;

/**
 * gba_sms_tpdu_encode() - encode one SMS-DELIVER or SMS-SUBMIT.
 * @t: [in] mti, the first-octet fields, mr (SUBMIT), addr, pid, dcs, scts
 *     (DELIVER), vpf + vp (SUBMIT; vp_abs is used for ABSOLUTE), udhi,
 *     udh/udh_len (IEs without UDHL; UDHL is written when udhi is set),
 *     data/data_len.  Only 8-bit and UCS2 alphabets are encoded (TP-UDL in
 *     octets); ud, ud_len, udl and data_skip are ignored.
 * @out: [out] buffer of @cap octets (GBA_SMS_TPDU_MAX is always enough)
 * Return: GBA_OK, GBA_ERR_BAD_PARAM (bad field value), GBA_ERR_UNSUPPORTED
 * (GSM7 dcs), GBA_ERR_TOO_LARGE (TP-UD over 140 octets),
 * GBA_ERR_NO_SPACE.
 */
GBA_EXPORT int gba_sms_tpdu_encode(const struct gba_sms_tpdu *t,
				   uint8_t *out, size_t cap, size_t *out_len)
	GBA_WARN_UNUSED;

/**
 * gba_sms_sca_encode() - the SMSC address prefix of the modem PDU form.
 * @sca: [in] address, or NULL for the one-octet "00" (use the default SC)
 * Return: GBA_OK, GBA_ERR_BAD_PARAM (alphanumeric), GBA_ERR_NO_SPACE.
 */
GBA_EXPORT int gba_sms_sca_encode(const struct gba_sms_addr *sca,
				  uint8_t *out, size_t cap, size_t *out_len)
	GBA_WARN_UNUSED;

/* ---- User Data Header ---- */

/**
 * gba_sms_udh_parse() - walk the IEs of a UDH (the octets after UDHL).
 * Unknown IEs are skipped by their length.  Not-repeatable IEs: the last
 * occurrence wins (8- and 16-bit forms of one kind replace each other).
 * An invalid concatenation IE (total 0, seq 0 or seq > total) is ignored
 * and flagged in concat_ignored.
 * Return: GBA_OK; GBA_ERR_MALFORMED (IE length past the UDH end, or a
 * known IE whose length is not 3/2/4/4).
 */
GBA_EXPORT int gba_sms_udh_parse(const uint8_t *ies, size_t len,
				 struct gba_sms_udh *u) GBA_WARN_UNUSED;

/**
 * gba_sms_udh_next() - iterate IEs one by one (for display).
 * @pos: [in,out] offset in @ies, start at 0
 * Return: GBA_OK with @iei, @ied and @iedl set; GBA_ERR_NOT_FOUND at the end;
 * GBA_ERR_MALFORMED as gba_sms_udh_parse().
 */
GBA_EXPORT int gba_sms_udh_next(const uint8_t *ies, size_t len, size_t *pos,
				uint8_t *iei, const uint8_t **ied,
				size_t *iedl) GBA_WARN_UNUSED;

/* ---- segmentation ---- */

/* What to put in every segment's UDH. */
struct gba_sms_seg_opts {
	uint8_t port16;      /* 1: IEI 0x05 ports, 0: IEI 0x04 (8-bit) */
	uint16_t dst_port, src_port;
	uint8_t ref16;       /* 1: IEI 0x08 (16-bit ref), 0: IEI 0x00 */
	uint16_t ref;        /* concatenation reference (caller-chosen) */
	uint8_t always_concat; /* 1: concat IE even for a single segment */
};

#define GBA_SMS_SEG_MAX 255  /* segment numbers are one octet */

/**
 * gba_sms_segment() - split a binary payload into SMS TPDUs, each with the
 * port IE and, when more than one segment is needed (or always_concat),
 * a concatenation IE.  Segments are filled to 140 octets of TP-UD; the
 * last one carries the remainder.  For SUBMIT, segment i gets TP-MR
 * tmpl->mr + i (mod 256).
 * @tmpl:    [in] every TPDU field except udhi/udh/data (taken from here);
 *           its dcs must select 8-bit data
 * @payload: [in] @len octets (may be 0: one segment with only the UDH)
 * @pdus:    [out] @max_pdus rows of GBA_SMS_TPDU_MAX octets
 * @pdu_len: [out] length of each row used; *@npdus the number of rows
 * Return: GBA_OK, GBA_ERR_BAD_PARAM, GBA_ERR_UNSUPPORTED (dcs not 8-bit),
 * GBA_ERR_TOO_LARGE (more than GBA_SMS_SEG_MAX segments),
 * GBA_ERR_NO_SPACE (more than @max_pdus segments).
 */
GBA_EXPORT int gba_sms_segment(const struct gba_sms_tpdu *tmpl,
			       const struct gba_sms_seg_opts *opt,
			       const uint8_t *payload, size_t len,
			       uint8_t (*pdus)[GBA_SMS_TPDU_MAX],
			       size_t *pdu_len, size_t max_pdus,
			       size_t *npdus) GBA_WARN_UNUSED;

/** gba_sms_segment_count() - segments gba_sms_segment() would produce. */
GBA_EXPORT size_t gba_sms_segment_count(const struct gba_sms_seg_opts *opt,
					size_t len);

#ifdef __cplusplus
}
#endif

/* reassembly of the TPDUs above (its own module) */
#include "gba/sms_reasm.h"
#endif
