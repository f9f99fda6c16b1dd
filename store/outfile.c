/*
 * outfile.c - a named output file written whole or not at all
 * (include/outfile.h).
 *
 * The temporary file is created with O_EXCL and mode 0666, so that the
 * kernel applies the umask (and a folder's default ACL) exactly as for any
 * new file, without this process ever changing its umask; a file it replaces
 * passes its mode on instead.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outfile.h"

/* Where a file is, or would be if it does not exist yet: its device and
 * inode, and its folder's device and inode with its name in that folder. */
struct file_id {
	int exists, dir_ok;
	dev_t dev, ddev;
	ino_t ino, dino;
	const char *base;       /* points into the path it was made from */
};

static void file_id_of(const char *path, struct file_id *id)
{
	const char *slash = strrchr(path, '/');
	struct stat st;
	char *dir;

	memset(id, 0, sizeof *id);
	if (stat(path, &st) == 0) {
		id->exists = 1;
		id->dev = st.st_dev;
		id->ino = st.st_ino;
	}
	id->base = slash ? slash + 1 : path;
	dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
	if (dir && stat(dir, &st) == 0) {
		id->dir_ok = 1;
		id->ddev = st.st_dev;
		id->dino = st.st_ino;
	}
	free(dir);
}

static int same_file(const struct file_id *a, const struct file_id *b)
{
	if (a->exists && b->exists)
		return a->dev == b->dev && a->ino == b->ino;
	return a->dir_ok && b->dir_ok && a->ddev == b->ddev && a->dino == b->dino &&
	       strcmp(a->base, b->base) == 0;
}

static const char *const journal_suffix[] = { "-wal", "-shm", "-journal" };

/* Refuses the output `out` (named `name` by the user) when it is the guarded
 * file or, if asked, one of its journals.  SQLite keeps the journals beside
 * the database with symbolic links resolved, so both spellings count. */
static int check_guard(const struct file_id *out, const char *name,
                       const struct wr_outfile_guard *g, struct wr_err *e)
{
	struct file_id id;
	char *real, *j;
	int rc = WR_OK;

	file_id_of(g->path, &id);
	if (same_file(out, &id))
		return wr_fail(e, WR_EINPUT, "refusing to write %s: it is %s %s; give another file name",
		               name, g->what, g->path);
	if (!g->journals)
		return WR_OK;
	real = realpath(g->path, NULL);
	for (int k = 0; k < 2 && rc == WR_OK; k++) {
		const char *db = k ? real : g->path;
		for (size_t i = 0; db && i < sizeof journal_suffix / sizeof *journal_suffix; i++) {
			if (!(j = malloc(strlen(db) + strlen(journal_suffix[i]) + 1))) {
				rc = wr_fail(e, WR_ENOMEM, "out of memory");
				break;
			}
			strcat(strcpy(j, db), journal_suffix[i]);
			file_id_of(j, &id);
			if (same_file(out, &id))
				rc = wr_fail(e, WR_EINPUT, "refusing to write %s: it is %s, a journal file of "
				             "%s %s; give another file name", name, j, g->what, g->path);
			free(j);
			if (rc != WR_OK)
				break;
		}
	}
	free(real);
	return rc;
}

/* The file writing `path` would replace, in *target (allocated): links
 * followed, the folder made absolute.  *st holds its status when *exists. */
static int resolve(const char *path, char **target, struct stat *st, int *exists,
                   struct wr_err *e)
{
	const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
	char *dir, *rdir;
	int rc = WR_OK;

	*exists = stat(path, st) == 0;
	if (*exists && S_ISDIR(st->st_mode))
		return wr_fail(e, WR_EINPUT, "cannot write %s: it is a folder; give a file name", path);
	if (*exists && !S_ISREG(st->st_mode))
		*target = wr_strdup(path);
	else if (*exists)
		*target = realpath(path, NULL);
	if (*exists)
		return *target ? WR_OK : wr_fail(e, WR_EINPUT, "cannot write %s: %s", path, strerror(errno));
	if (errno != ENOENT)
		return wr_fail(e, WR_EINPUT, "cannot write %s: %s", path, strerror(errno));
	if (lstat(path, st) == 0)
		return wr_fail(e, WR_EINPUT, "cannot write %s: it is a symbolic link to a file that "
		               "does not exist; give the name of the file itself", path);
	if (!*base)
		return wr_fail(e, WR_EINPUT, "cannot write %s: it names a folder; give a file name", path);
	dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
	if (!dir)
		return wr_fail(e, WR_ENOMEM, "out of memory");
	if (!(rdir = realpath(dir, NULL)))
		rc = wr_fail(e, WR_EINPUT, "cannot write %s: the folder %s %s", path, dir,
		             errno == ENOENT ? "does not exist" : strerror(errno));
	else if (!(*target = malloc(strlen(rdir) + strlen(base) + 2)))
		rc = wr_fail(e, WR_ENOMEM, "out of memory");
	else
		strcat(strcat(strcpy(*target, strcmp(rdir, "/") ? rdir : ""), "/"), base);
	free(rdir);
	free(dir);
	return rc;
}

/* A replacement keeps the old file's owner where this process may give it
 * (root may; anyone may pass on a group they are in) and its mode. */
static int keep_mode(int fd, const struct stat *old)
{
	if (fchown(fd, old->st_uid, old->st_gid) != 0) {
		/* Not allowed: the file is then this user's, as any file they write. */
	}
	return fchmod(fd, old->st_mode & 07777);
}

static int open_temp(struct wr_outfile *o, const struct stat *old, struct wr_err *e)
{
	size_t n = strlen(o->target) + 20;
	char uuid[WR_UUID_BUF];
	int fd = -1, err;

	if (!(o->tmp = malloc(n)))
		return wr_fail(e, WR_ENOMEM, "out of memory");
	for (int tries = 0; fd < 0 && tries < 100; tries++) {
		wr_uuid_new(uuid);
		snprintf(o->tmp, n, "%s.tmp-%s", o->target, uuid + 24);
		fd = open(o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, old ? 0600 : 0666);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	if (fd < 0) {
		err = errno;
		free(o->tmp);
		o->tmp = NULL;
		return wr_fail(e, WR_EINPUT, "cannot create a file beside %s: %s", o->name, strerror(err));
	}
	if ((old && keep_mode(fd, old) != 0) || !(o->f = fdopen(fd, "w"))) {
		err = errno;
		close(fd);
		return wr_fail(e, WR_EINPUT, "cannot write %s: %s", o->name, strerror(err));
	}
	return WR_OK;
}

int wr_outfile_open(struct wr_outfile *o, const char *path, const struct wr_outfile_guard *g,
                    size_t ng, struct wr_err *e)
{
	struct file_id out;
	struct stat st;
	int exists, rc;

	memset(o, 0, sizeof *o);
	if ((rc = resolve(path, &o->target, &st, &exists, e)) != WR_OK)
		return rc;
	file_id_of(o->target, &out);
	for (size_t i = 0; i < ng && rc == WR_OK; i++)
		if (g[i].path && *g[i].path && strcmp(g[i].path, "-") != 0)
			rc = check_guard(&out, path, &g[i], e);
	if (rc == WR_OK && !(o->name = wr_strdup(path)))
		rc = wr_fail(e, WR_ENOMEM, "out of memory");
	if (rc == WR_OK && exists && !S_ISREG(st.st_mode)) {
		/* A pipe or a device: there is nothing to rename over. */
		if (!(o->f = fopen(o->target, "w")))
			rc = wr_fail(e, WR_EINPUT, "cannot write %s: %s", path, strerror(errno));
	} else if (rc == WR_OK) {
		rc = open_temp(o, exists ? &st : NULL, e);
	}
	if (rc != WR_OK)
		wr_outfile_abort(o);
	return rc;
}

/* Makes the rename durable; a folder that cannot be synced is no error,
 * since the file itself is complete either way. */
static void sync_folder(const char *target)
{
	const char *slash = strrchr(target, '/');
	char *dir = strndup(target, slash && slash != target ? (size_t)(slash - target) : 1);
	int fd = dir ? open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;

	if (fd >= 0) {
		if (fsync(fd) != 0) {
			/* Best effort, as said above. */
		}
		close(fd);
	}
	free(dir);
}

int wr_outfile_commit(struct wr_outfile *o, struct wr_err *e)
{
	int err = 0, rc = WR_OK;

	errno = 0;
	if (fflush(o->f) != 0 || ferror(o->f))
		err = errno ? errno : EIO;
	else if (o->tmp && fsync(fileno(o->f)) != 0)
		err = errno;
	if (fclose(o->f) != 0 && !err)
		err = errno;
	o->f = NULL;
	if (!err && o->tmp && rename(o->tmp, o->target) != 0)
		err = errno;
	if (err) {
		rc = wr_fail(e, WR_EINPUT, "cannot write %s: %s", o->name, strerror(err));
	} else if (o->tmp) {
		sync_folder(o->target);
		free(o->tmp);
		o->tmp = NULL;
	}
	wr_outfile_abort(o);
	return rc;
}

void wr_outfile_abort(struct wr_outfile *o)
{
	if (o->f)
		fclose(o->f);
	if (o->tmp)
		unlink(o->tmp);
	free(o->tmp);
	free(o->target);
	free(o->name);
	memset(o, 0, sizeof *o);
}
