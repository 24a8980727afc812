/*
 * mail.h: the login and registration code mails (domain.md 1.4) and
 * their delivery (ops.md 2.3): mail_command through fork + execve with a
 * restricted environment and a timeout, or in dev/test without a command
 * a file <outbox_dir>/<YYYYMMDDTHHMMSSZ>-<challenge_id>.eml (mode 0600).
 * Callers send only after their commit; a failure never changes an
 * answer, it is only audited.
 */
#ifndef LTC_MAIL_H
#define LTC_MAIL_H

#include <stdbool.h>
#include <stdint.h>

/*
 * The complete message (headers, blank line, body; LF line endings) for
 * purpose "login" or "register". Caller frees (and wipes: it holds the
 * code and the address). NULL when to is not one single address a
 * header can carry as it is (CR, LF, whitespace, or any of
 * ( ) , : ; < > [ ] \ " — sendmail -t would read a list or a group).
 */
char	*mail_compose(const char *to, const char *purpose, const char *otp,
	    const char *challenge_id, int64_t now);

/* Composes and delivers; true when delivered. */
bool	 mail_send_code(const char *to, const char *purpose,
	    const char *otp, const char *challenge_id, int64_t now);

/*
 * For the request that must not send (a disabled account) but must not
 * answer sooner either: composes the same message and, where the outbox
 * is the delivery, writes it the same way to /dev/null. A mail_command
 * is never run.
 */
void	 mail_dry_run(const char *to, const char *purpose, const char *otp,
	    const char *challenge_id, int64_t now);

#endif
