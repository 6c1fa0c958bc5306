/*
 * card.c - see card.h.  Host only (stdio-free but uses the OS: pcsc-lite,
 * termios).  Nothing secret passes through here except the AUTHENTICATE
 * responses, which are wiped from the local buffers.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include "card.h"
#include "gba/crypto.h"
#include "gba/hex.h"

#define MODEM_TIMEOUT_MS 10000
#define MODEM_LINE 1200 /* "+CSIM: 516,"<516 hex>"" fits */

static void set_err(struct card *c, const char *what, const char *detail)
{
	snprintf(c->err, sizeof(c->err), "%s%s%.100s", what, detail ? ": " : "",
		 detail ? detail : "");
}

/* ---- PC/SC ---- */

int card_open_pcsc(struct card *c, const char *name)
{
	char readers[4096];
	DWORD len = sizeof(readers);
	const char *r, *pick = NULL;
	size_t nl = strlen(name);
	int prefix_hits = 0;
	LONG rv;

	memset(c, 0, sizeof(*c));
	c->fd = -1;
	rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, NULL, NULL, &c->ctx);
	if (rv != SCARD_S_SUCCESS) {
		set_err(c, "PC/SC: no pcscd", pcsc_stringify_error(rv));
		return -1;
	}
	c->have_ctx = 1;
	rv = SCardListReaders(c->ctx, NULL, readers, &len);
	if (rv != SCARD_S_SUCCESS) {
		set_err(c, "PC/SC: no readers", pcsc_stringify_error(rv));
		goto fail;
	}
	/* a multi-string: names ending with NUL, one more NUL at the end */
	for (r = readers; *r && r < readers + len; r += strlen(r) + 1) {
		if (!strcmp(r, name)) {
			pick = r;
			prefix_hits = 1;
			break;
		}
		if (!strncmp(r, name, nl)) {
			if (!prefix_hits++)
				pick = r;
		}
	}
	if (!pick || prefix_hits != 1) {
		set_err(c,
			pick ? "PC/SC: reader name not unique"
			     : "PC/SC: no such reader",
			name);
		goto fail;
	}
	rv = SCardConnect(c->ctx, pick, SCARD_SHARE_SHARED,
			  SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, &c->handle,
			  &c->proto);
	if (rv != SCARD_S_SUCCESS) {
		set_err(c, "PC/SC: cannot connect to the card",
			pcsc_stringify_error(rv));
		goto fail;
	}
	c->kind = 1;
	return 0;
fail:
	SCardReleaseContext(c->ctx);
	c->have_ctx = 0;
	return -1;
}

static int pcsc_transmit(struct card *c, const uint8_t *apdu, size_t len,
			 uint8_t *resp, size_t cap, size_t *resp_len)
{
	const SCARD_IO_REQUEST *pci =
		c->proto == SCARD_PROTOCOL_T1 ? SCARD_PCI_T1 : SCARD_PCI_T0;
	DWORD n = (DWORD)cap;
	LONG rv;

	rv = SCardTransmit(c->handle, pci, apdu, (DWORD)len, NULL, resp, &n);
	if (rv != SCARD_S_SUCCESS) {
		set_err(c, "PC/SC: transmit", pcsc_stringify_error(rv));
		return -1;
	}
	*resp_len = n;
	return 0;
}

/* ---- modem, AT+CSIM ---- */

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static int write_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(fd, s, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

/* One line (CR/LF stripped, empty lines skipped) within the deadline. */
static int read_line(int fd, char *line, size_t cap, uint64_t deadline)
{
	size_t n = 0;
	char ch;

	for (;;) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		uint64_t t = now_ms();
		ssize_t k;

		if (t >= deadline)
			return -1;
		if (poll(&p, 1, (int)(deadline - t)) <= 0)
			continue;
		k = read(fd, &ch, 1);
		if (k < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (k <= 0)
			return -1;
		if (ch == '\r' || ch == '\n') {
			if (n == 0)
				continue;
			line[n] = 0;
			return 0;
		}
		if (n + 1 >= cap)
			return -1;
		line[n++] = ch;
	}
}

static int is_final(const char *l)
{
	return !strcmp(l, "OK") || !strcmp(l, "ERROR") ||
	       !strncmp(l, "+CME ERROR", 10);
}

/* Send @cmd, collect lines up to the final result code.  @want: prefix of
 * the information line to keep in @info ("" none).  0 = OK.  The lines
 * carry CK/IK in hex: the local copy is wiped on every exit. */
static int at_cmd(struct card *c, const char *cmd, const char *want, char *info,
		  size_t info_cap)
{
	char line[MODEM_LINE];
	uint64_t deadline = now_ms() + MODEM_TIMEOUT_MS;
	size_t wl = strlen(want);
	int r = -1;

	if (info_cap)
		info[0] = 0;
	if (write_all(c->fd, cmd, strlen(cmd)) != 0 ||
	    write_all(c->fd, "\r", 1) != 0) {
		set_err(c, "modem: write failed", strerror(errno));
		return -1;
	}
	for (;;) {
		if (read_line(c->fd, line, sizeof(line), deadline) != 0) {
			set_err(c, "modem: no final result code", NULL);
			break;
		}
		if (wl && !strncmp(line, want, wl) && info_cap) {
			snprintf(info, info_cap, "%s", line + wl);
			continue;
		}
		if (is_final(line)) {
			if (strcmp(line, "OK") != 0)
				set_err(c, "modem refused the command", line);
			else
				r = 0;
			break;
		}
		/* the echo of the command, unsolicited result codes: skip */
	}
	gba_cleanse(line, sizeof(line));
	return r;
}

int card_open_modem(struct card *c, const char *dev)
{
	struct termios t;

	memset(c, 0, sizeof(*c));
	c->fd = open(dev, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (c->fd < 0) {
		set_err(c, "modem: cannot open", dev);
		return -1;
	}
	if (tcgetattr(c->fd, &t) != 0) {
		set_err(c, "modem: not a terminal", dev);
		goto fail;
	}
	cfmakeraw(&t);
	cfsetispeed(&t, B115200);
	cfsetospeed(&t, B115200);
	t.c_cflag |= CLOCAL | CREAD;
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	if (tcsetattr(c->fd, TCSANOW, &t) != 0) {
		set_err(c, "modem: cannot set the line", dev);
		goto fail;
	}
	tcflush(c->fd, TCIOFLUSH);
	c->kind = 2;
	if (at_cmd(c, "ATE0", "", NULL, 0) != 0)
		goto fail;
	return 0;
fail:
	close(c->fd);
	c->fd = -1;
	c->kind = 0;
	return -1;
}

/* AT+CSIM=<length>,"<command>" -> +CSIM: <length>,"<response>" (TS 27.007
 * 8.17; <length> counts hex characters, the response ends with SW1 SW2). */
static int modem_transmit(struct card *c, const uint8_t *apdu, size_t len,
			  uint8_t *resp, size_t cap, size_t *resp_len)
{
	char cmd[32 + 2 * 261 + 1], info[MODEM_LINE], *q, *e;
	size_t k, n = 0;
	int r = -1;

	if (len > 261)
		return -1;
	k = (size_t)snprintf(cmd, sizeof(cmd), "AT+CSIM=%zu,\"", 2 * len);
	if (gba_hex_encode(apdu, len, cmd + k, sizeof(cmd) - k) != GBA_OK)
		return -1;
	k += 2 * len;
	cmd[k++] = '"';
	cmd[k] = 0;
	if (at_cmd(c, cmd, "+CSIM:", info, sizeof(info)) != 0)
		goto out;
	q = strchr(info, ',');
	if (!q) {
		set_err(c, "modem: bad +CSIM answer", info);
		goto out;
	}
	q++;
	while (*q == ' ' || *q == '"')
		q++;
	e = q + strcspn(q, "\" ");
	if (gba_hex_decode(q, (size_t)(e - q), resp, cap, &n) != GBA_OK) {
		set_err(c, "modem: bad +CSIM data", NULL);
		goto out;
	}
	*resp_len = n;
	r = 0;
out:
	gba_cleanse(info, sizeof(info));
	gba_cleanse(cmd, sizeof(cmd));
	return r;
}

int card_transmit(void *arg, const uint8_t *apdu, size_t len, uint8_t *resp,
		  size_t cap, size_t *resp_len)
{
	struct card *c = arg;

	*resp_len = 0;
	if (c->kind == 1)
		return pcsc_transmit(c, apdu, len, resp, cap, resp_len);
	if (c->kind == 2)
		return modem_transmit(c, apdu, len, resp, cap, resp_len);
	return -1;
}

void card_close(struct card *c)
{
	if (c->kind == 1)
		SCardDisconnect(c->handle, SCARD_LEAVE_CARD);
	if (c->have_ctx)
		SCardReleaseContext(c->ctx);
	if (c->kind == 2 && c->fd >= 0)
		close(c->fd);
	c->kind = 0;
	c->have_ctx = 0;
	c->fd = -1;
}
