/*
 * ltcctl.h: the operator's command line (ops.md 7). Each command is a
 * function in a bin/ltcctl_*.c file, listed in the table of ltcctl.c.
 * Exit codes: 0 ok, 1 failed, 2 usage or configuration, 3 verify findings.
 */
#ifndef LTC_LTCCTL_H
#define LTC_LTCCTL_H

#include "store/db.h"


#define EX_OK		0
#define EX_FAIL		1
#define EX_USAGE	2
#define EX_FINDINGS	3

/* Loads the configuration; prints problems and returns false if invalid. */
int	 ctl_config(void);
/* Opens the configured database (creating it if create); NULL on failure. */
struct db	*ctl_db(int create);
/* "m***@example.org" for printing; caller frees. */
char	*ctl_mask_email(const char *);

int	 cmd_init(int, char **);
int	 cmd_migrate(int, char **);
int	 cmd_backup(int, char **);
int	 cmd_restore(int, char **);
int	 cmd_verify(int, char **);
int	 cmd_purge(int, char **);
int	 cmd_maintenance(int, char **);
int	 cmd_user(int, char **);
int	 cmd_bootstrap_superadmin(int, char **);
int	 cmd_export_decrypt(int, char **);

/* Backup into dir (NULL = backup_dir/ltc-<ts>); used by migrate too. */
int	 ctl_backup_to(struct db *, const char *dest, char *made, size_t madelen);

#endif
