/*
 * config.h: the configuration of ops.md 2 (key = value file, LTC_<KEY>
 * environment overrides). One global, filled by config_load().
 */
#ifndef LTC_CONFIG_H
#define LTC_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef LTC_CONF_PATH
#define LTC_CONF_PATH "/etc/ltc/ltc.conf"
#endif

enum ltc_env { ENV_PROD, ENV_DEV, ENV_TEST };

struct config {
	enum ltc_env env;
	char	*env_name;
	char	*secret_key;		/* raw bytes as text; never logged */
	char	*secret_key_file;
	char	*secret_key_previous;
	char	*data_dir;
	char	*db_path;
	char	*storage_dir;
	char	*outbox_dir;
	char	*backup_dir;
	int64_t	 backup_keep;
	char	*journal_mode;
	int64_t	 busy_timeout_ms;
	char	*log_file;
	char	*public_base_url;
	char	*trusted_proxies;
	int64_t	 hsts_max_age;
	char	*terms_version;
	char	*privacy_version;
	bool	 allow_dev_headers;	/* as configured; see dev_headers */
	bool	 dev_expose_otp;
	char	*test_now;
	char	*bootstrap_superadmin_email;
	char	*mail_command;
	char	*mail_from;
	int64_t	 mail_timeout_seconds;
	int64_t	 otp_ttl_seconds;
	int64_t	 otp_max_attempts;
	int64_t	 session_ttl_seconds;
	int64_t	 session_idle_seconds;
	int64_t	 scrypt_n_log2;
	int64_t	 scrypt_r;
	int64_t	 scrypt_p;
	int64_t	 scrypt_max_concurrent;
	int64_t	 json_max_bytes;
	int64_t	 upload_max_bytes;
	char	*magic_file;
	char	*scanner_command;
	int64_t	 scanner_timeout_seconds;
	int64_t	 export_ttl_seconds;
	int64_t	 transfer_ttl_seconds;
	int64_t	 rl_auth_window_seconds;
	int64_t	 rl_request_email_limit;
	int64_t	 rl_request_ip_limit;
	int64_t	 rl_verify_ip_limit;
	int64_t	 rl_login_fail_limit;
	int64_t	 rl_qr_limit;
	int64_t	 rl_qr_window_seconds;
	int64_t	 rl_upload_limit;
	int64_t	 rl_upload_window_seconds;
	int64_t	 rl_mc_window_seconds;
	int64_t	 rl_mc_sessions_create;
	int64_t	 rl_mc_speech_add;
	int64_t	 rl_mc_triage_create;
	int64_t	 rl_mc_triage_patch;
	int64_t	 rl_mc_board_snapshot;
	int64_t	 rl_mc_close;
	int64_t	 rl_mc_session_get;
	int64_t	 rl_support_ip_limit;
	int64_t	 rl_support_user_limit;
	int64_t	 rl_support_window_seconds;
	int64_t	 retention_sessions_days;
	int64_t	 retention_challenges_days;
	int64_t	 retention_ratelimit_days;
	int64_t	 retention_grants_days;
	int64_t	 retention_idempotency_days;
	int64_t	 retention_support_days;
	int64_t	 retention_pii_confirmed_days;
	int64_t	 retention_rejected_days;
	int64_t	 retention_transfers_days;
	int64_t	 retention_audit_days;
	int64_t	 retention_consent_years;
	char	*imprint_name;
	char	*imprint_address;
	char	*imprint_email;
	char	*imprint_phone;
	char	*imprint_register;
	char	*imprint_vat_id;
	char	*imprint_responsible;

	/* Derived. */
	bool	 dev_headers;		/* allow_dev_headers && env != prod */
	bool	 expose_otp;		/* dev_expose_otp && env != prod */
	bool	 secret_ok;
	char	*conf_path;
};

extern struct config cfg;

/*
 * Reads file + environment into cfg. Returns true when everything is valid.
 * Each problem is reported through report(key, message) (key names only,
 * never values); report may be NULL. The secret goes to crypto_set_secret().
 */
bool	 config_load(void (*report)(const char *key, const char *msg));
void	 config_free(void);
/* Problems that only concern the secret (ltcctl commands without one). */
bool	 config_problem_is_secret_only(void);

#endif
