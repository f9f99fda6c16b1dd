/*
 * token.c - reading a device's token from its file (sync_token_read in
 * sync.h).  The file must be the user's alone, as ssh insists for a
 * private key: the token lets anyone who holds it write to the plant's
 * records.  The mode is checked on the open file, so the file checked is
 * the file read.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sync.h"

static int token_valid(const char *t)
{
	size_t i;

	for (i = 0; t[i]; i++)
		if (!((t[i] >= '0' && t[i] <= '9') || (t[i] >= 'a' && t[i] <= 'f')))
			return 0;
	return i == 64;
}

static int check_mode(int fd, const char *path, struct wr_err *e)
{
	struct stat sb;

	if (fstat(fd, &sb) != 0)
		return wr_fail(e, WR_EINPUT, "cannot read the token file %s: %s", path,
		               strerror(errno));
	if (!S_ISREG(sb.st_mode))
		return wr_fail(e, WR_EINPUT, "%s is not a regular file", path);
	if (sb.st_mode & (S_IRWXG | S_IRWXO))
		return wr_fail(e, WR_EINPUT, "permissions %04o for '%s' are too open: a token file "
		               "must not be accessible by others; run: chmod 600 %s",
		               (unsigned)(sb.st_mode & 07777), path, path);
	return WR_OK;
}

int sync_token_read(const char *path, char tok[65], struct wr_err *e)
{
	char buf[256];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc;

	tok[0] = '\0';
	if (fd < 0)
		return wr_fail(e, WR_EINPUT, "cannot open the token file %s: %s", path,
		               strerror(errno));
	rc = check_mode(fd, path, e);
	n = rc == WR_OK ? read(fd, buf, sizeof buf - 1) : 0;
	close(fd);
	if (rc != WR_OK)
		return rc;
	if (n < 0)
		return wr_fail(e, WR_EINPUT, "cannot read the token file %s: %s", path,
		               strerror(errno));
	buf[n] = '\0';
	wr_trim(buf);
	rc = token_valid(buf) ? WR_OK
	                      : wr_fail(e, WR_EINPUT, "%s does not hold a token (64 lower-case "
	                                "hexadecimal digits, as 'wrench-central token add' prints it)",
	                                path);
	if (rc == WR_OK)
		memcpy(tok, buf, 65);
	explicit_bzero(buf, sizeof buf);
	return rc;
}
