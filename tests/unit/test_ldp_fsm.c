/* ldp/fsm.c: one test per row of the LDP session FSM table (RFC 5036
 * 2.5.4), each row tried in every state of its mask; every (state, event)
 * pair that no row accepts (Internal Error close in session states, ignored
 * in NONEXISTENT); failed sends; the passive and active openings end to end.
 * The sockets and timers are a recording stub (struct ldp_fsm_ops). */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ldp/fsm.h"
#include "lib/log.h"

/* ---- stubs: every call is appended to calls[] ---- */

static char calls[512];
static int init_ret, ka_ret;

static void rec(const char *s)
{
	strncat(calls, s, sizeof(calls) - strlen(calls) - 1);
	strncat(calls, ",", sizeof(calls) - strlen(calls) - 1);
}

static int s_init(void *ctx)
{
	(void)ctx;
	rec("init");
	return init_ret;
}
static int s_ka(void *ctx)
{
	(void)ctx;
	rec("ka");
	return ka_ret;
}
static void s_notif(void *ctx, uint32_t status)
{
	char b[32];

	(void)ctx;
	/* fatal codes carry the E bit on the wire; an advisory one would say so */
	snprintf(b, sizeof(b), "notif(%u%s)", status & 0x3fffffffu,
		 (status & 0x80000000u) ? "" : ",advisory");
	rec(b);
}
static void s_close(void *ctx)
{
	(void)ctx;
	rec("close");
}
static void s_up(void *ctx)
{
	(void)ctx;
	rec("up");
}
static void s_down(void *ctx)
{
	(void)ctx;
	rec("down");
}
static void s_kato(void *ctx)
{
	(void)ctx;
	rec("kato");
}
static void s_katimer(void *ctx)
{
	(void)ctx;
	rec("katimer");
}
static void s_stop(void *ctx)
{
	(void)ctx;
	rec("stop");
}

static const struct ldp_fsm_ops ops = {
	.send_init = s_init,
	.send_keepalive = s_ka,
	.send_notification = s_notif,
	.close_conn = s_close,
	.session_up = s_up,
	.session_down = s_down,
	.start_ka_timeout = s_kato,
	.start_ka_timer = s_katimer,
	.stop_timers = s_stop,
};

static struct ldp_fsm f;

static void setup(void)
{
	log_init("test", true, false);
	calls[0] = '\0';
	init_ret = ka_ret = 0;
	ldp_fsm_init(&f, &ops, NULL, "10.0.0.2");
}

/* Puts the FSM in state st without side effects, clears the record. */
static void at(int st)
{
	f.state = st;
	calls[0] = '\0';
}

#define N_STATES 5
static const int states[N_STATES] = {
	LDP_NBR_STA_NONEXISTENT, LDP_NBR_STA_INITIALIZED, LDP_NBR_STA_OPENREC,
	LDP_NBR_STA_OPENSENT,    LDP_NBR_STA_OPERATIONAL,
};

/* Fires ev in every state of mask and checks the new state and the calls;
 * "+down" is appended when leaving OPERATIONAL by a close. */
static void check_row(int mask, enum ldp_fsm_event ev, uint32_t status, int to, const char *expect,
		      bool close)
{
	int i;

	for (i = 0; i < N_STATES; i++) {
		char exp[256];
		int r;

		if (!(mask & states[i]))
			continue;
		at(states[i]);
		r = ldp_fsm_event(&f, ev, status);
		snprintf(exp, sizeof(exp), "%s%s", expect,
			 close && states[i] == LDP_NBR_STA_OPERATIONAL ? "down," : "");
		ck_assert_msg(r == (to ? to : states[i]), "%s in %s: state %s",
			      ldp_fsm_event_name(ev), ldp_fsm_state_name(states[i]),
			      ldp_fsm_state_name(r));
		ck_assert_int_eq(f.state, r);
		ck_assert_msg(strcmp(calls, exp) == 0, "%s in %s: calls '%s', want '%s'",
			      ldp_fsm_event_name(ev), ldp_fsm_state_name(states[i]), calls, exp);
	}
}

/* ---- one test per row ---- */

START_TEST(row_nonexistent_match_adj)
{
	check_row(LDP_NBR_STA_NONEXISTENT, LDP_EVT_MATCH_ADJ, 0, LDP_NBR_STA_INITIALIZED, "kato,",
		  false);
}
END_TEST

START_TEST(row_initialized_init_rcvd)
{
	check_row(LDP_NBR_STA_INITIALIZED, LDP_EVT_INIT_RCVD, 0, LDP_NBR_STA_OPENREC, "init,ka,",
		  false);
}
END_TEST

START_TEST(row_nonexistent_connect_up)
{
	/* START_INIT sends Init and feeds INIT_SENT: ends in OPENSENT */
	check_row(LDP_NBR_STA_NONEXISTENT, LDP_EVT_CONNECT_UP, 0, LDP_NBR_STA_OPENSENT,
		  "kato,init,", false);
	ck_assert_int_eq(f.last_event, LDP_EVT_INIT_SENT);
}
END_TEST

START_TEST(row_initialized_init_sent)
{
	check_row(LDP_NBR_STA_INITIALIZED, LDP_EVT_INIT_SENT, 0, LDP_NBR_STA_OPENSENT, "", false);
}
END_TEST

START_TEST(row_opensent_init_rcvd)
{
	check_row(LDP_NBR_STA_OPENSENT, LDP_EVT_INIT_RCVD, 0, LDP_NBR_STA_OPENREC, "ka,", false);
}
END_TEST

START_TEST(row_openrec_keepalive_rcvd)
{
	check_row(LDP_NBR_STA_OPENREC, LDP_EVT_KEEPALIVE_RCVD, 0, LDP_NBR_STA_OPERATIONAL,
		  "kato,katimer,up,", false);
	ck_assert_uint_eq(f.last_status, LDP_FSM_ST_NONE);
}
END_TEST

START_TEST(row_operational_keepalive_rcvd)
{
	check_row(LDP_NBR_STA_OPERATIONAL, LDP_EVT_KEEPALIVE_RCVD, 0, 0, "", false);
}
END_TEST

START_TEST(row_session_pdu_rcvd)
{
	check_row(LDP_NBR_STA_SESSION, LDP_EVT_PDU_RCVD, 0, 0, "kato,", false);
}
END_TEST

START_TEST(row_operational_pdu_sent)
{
	check_row(LDP_NBR_STA_OPERATIONAL, LDP_EVT_PDU_SENT, 0, 0, "katimer,", false);
}
END_TEST

START_TEST(row_init_phase_pdu_sent)
{
	check_row(LDP_NBR_STA_INIT_PHASE, LDP_EVT_PDU_SENT, 0, 0, "", false);
}
END_TEST

START_TEST(row_init_rcvd_unexpected)
{
	check_row(LDP_NBR_STA_OPENREC | LDP_NBR_STA_OPERATIONAL, LDP_EVT_INIT_RCVD, 0,
		  LDP_NBR_STA_NONEXISTENT, "stop,notif(10),close,", true);
	ck_assert_uint_eq(f.last_status, LDP_FSM_ST_SHUTDOWN);
}
END_TEST

START_TEST(row_keepalive_before_init)
{
	check_row(LDP_NBR_STA_INITIALIZED | LDP_NBR_STA_OPENSENT, LDP_EVT_KEEPALIVE_RCVD, 0,
		  LDP_NBR_STA_NONEXISTENT, "stop,notif(10),close,", true);
	ck_assert_uint_eq(f.last_status, LDP_FSM_ST_SHUTDOWN);
}
END_TEST

START_TEST(row_session_keepalive_timeout)
{
	check_row(LDP_NBR_STA_SESSION, LDP_EVT_KEEPALIVE_TIMEOUT, 0, LDP_NBR_STA_NONEXISTENT,
		  "stop,notif(20),close,", true);
	ck_assert_uint_eq(f.last_status, LDP_FSM_ST_KEEPALIVE_EXPIRED);
}
END_TEST

START_TEST(row_session_close)
{
	/* with a status: the Notification goes out before the close */
	check_row(LDP_NBR_STA_SESSION, LDP_EVT_CLOSE_SESSION, LDP_FSM_ST_SHUTDOWN,
		  LDP_NBR_STA_NONEXISTENT, "stop,notif(10),close,", true);
	/* peer's fatal notification or TCP reset: nothing to send */
	check_row(LDP_NBR_STA_SESSION, LDP_EVT_CLOSE_SESSION, LDP_FSM_ST_NONE,
		  LDP_NBR_STA_NONEXISTENT, "stop,close,", true);
	ck_assert_uint_eq(f.last_status, LDP_FSM_ST_NONE);
}
END_TEST

START_TEST(row_nonexistent_close)
{
	check_row(LDP_NBR_STA_NONEXISTENT, LDP_EVT_CLOSE_SESSION, LDP_FSM_ST_SHUTDOWN, 0, "",
		  false);
}
END_TEST

/* ---- events no row accepts ---- */

static bool row_exists(int st, enum ldp_fsm_event ev)
{
	const struct ldp_fsm_row *t;
	int n, i;

	t = ldp_fsm_table(&n);
	for (i = 0; i < n; i++)
		if ((t[i].state_mask & st) && t[i].event == ev)
			return true;
	return false;
}

/* The pairs the table leaves out on purpose, written out by hand. */
static const struct {
	int state;
	enum ldp_fsm_event ev;
} invalid[] = {
	{ LDP_NBR_STA_NONEXISTENT, LDP_EVT_INIT_RCVD },
	{ LDP_NBR_STA_NONEXISTENT, LDP_EVT_KEEPALIVE_RCVD },
	{ LDP_NBR_STA_NONEXISTENT, LDP_EVT_KEEPALIVE_TIMEOUT },
	{ LDP_NBR_STA_NONEXISTENT, LDP_EVT_PDU_RCVD },
	{ LDP_NBR_STA_NONEXISTENT, LDP_EVT_PDU_SENT },
	{ LDP_NBR_STA_NONEXISTENT, LDP_EVT_INIT_SENT },
	{ LDP_NBR_STA_INITIALIZED, LDP_EVT_MATCH_ADJ },
	{ LDP_NBR_STA_INITIALIZED, LDP_EVT_CONNECT_UP },
	{ LDP_NBR_STA_OPENREC, LDP_EVT_MATCH_ADJ },
	{ LDP_NBR_STA_OPENREC, LDP_EVT_CONNECT_UP },
	{ LDP_NBR_STA_OPENREC, LDP_EVT_INIT_SENT },
	{ LDP_NBR_STA_OPENSENT, LDP_EVT_MATCH_ADJ },
	{ LDP_NBR_STA_OPENSENT, LDP_EVT_CONNECT_UP },
	{ LDP_NBR_STA_OPENSENT, LDP_EVT_INIT_SENT },
	{ LDP_NBR_STA_OPERATIONAL, LDP_EVT_MATCH_ADJ },
	{ LDP_NBR_STA_OPERATIONAL, LDP_EVT_CONNECT_UP },
	{ LDP_NBR_STA_OPERATIONAL, LDP_EVT_INIT_SENT },
};
#define N_INVALID (int)(sizeof(invalid) / sizeof(invalid[0]))

START_TEST(invalid_pairs_are_exactly_the_gaps)
{
	int s, e, i, gaps = 0;

	for (s = 0; s < N_STATES; s++) {
		for (e = 0; e < LDP_EVT_MAX; e++) {
			bool listed = false;

			for (i = 0; i < N_INVALID; i++)
				if (invalid[i].state == states[s] && (int)invalid[i].ev == e)
					listed = true;
			ck_assert_msg(listed != row_exists(states[s], (enum ldp_fsm_event)e),
				      "%s in %s", ldp_fsm_event_name((enum ldp_fsm_event)e),
				      ldp_fsm_state_name(states[s]));
			gaps += listed;
		}
	}
	ck_assert_int_eq(gaps, N_INVALID);
}
END_TEST

START_TEST(invalid_event)
{
	/* one loop iteration per invalid pair */
	int st = invalid[_i].state;
	enum ldp_fsm_event ev = invalid[_i].ev;
	uint64_t bad = f.bad_events;

	at(st);
	/* ignored in NONEXISTENT, closed everywhere else: NONEXISTENT either way */
	ck_assert_int_eq(ldp_fsm_event(&f, ev, 0), LDP_NBR_STA_NONEXISTENT);
	ck_assert_uint_eq(f.bad_events, bad + 1);
	if (st == LDP_NBR_STA_NONEXISTENT) {
		ck_assert_str_eq(calls, "");
	} else {
		ck_assert_str_eq(calls, st == LDP_NBR_STA_OPERATIONAL ?
						"stop,notif(25),close,down," :
						"stop,notif(25),close,");
		ck_assert_uint_eq(f.last_status, LDP_FSM_ST_INTERNAL_ERROR);
	}
}
END_TEST

/* ---- failures and whole openings ---- */

START_TEST(send_init_fails)
{
	init_ret = -1;
	at(LDP_NBR_STA_NONEXISTENT);
	ck_assert_int_eq(ldp_fsm_event(&f, LDP_EVT_CONNECT_UP, 0), LDP_NBR_STA_NONEXISTENT);
	ck_assert_str_eq(calls, "kato,init,stop,notif(25),close,");
	at(LDP_NBR_STA_INITIALIZED);
	ck_assert_int_eq(ldp_fsm_event(&f, LDP_EVT_INIT_RCVD, 0), LDP_NBR_STA_NONEXISTENT);
	ck_assert_str_eq(calls, "init,stop,notif(25),close,");
}
END_TEST

START_TEST(send_keepalive_fails)
{
	ka_ret = -1;
	at(LDP_NBR_STA_OPENSENT);
	ck_assert_int_eq(ldp_fsm_event(&f, LDP_EVT_INIT_RCVD, 0), LDP_NBR_STA_NONEXISTENT);
	ck_assert_str_eq(calls, "ka,stop,notif(25),close,");
}
END_TEST

START_TEST(passive_opening)
{
	ldp_fsm_event(&f, LDP_EVT_MATCH_ADJ, 0);
	ldp_fsm_event(&f, LDP_EVT_PDU_RCVD, 0);
	ldp_fsm_event(&f, LDP_EVT_INIT_RCVD, 0);
	ldp_fsm_event(&f, LDP_EVT_PDU_RCVD, 0);
	ldp_fsm_event(&f, LDP_EVT_KEEPALIVE_RCVD, 0);
	ck_assert_int_eq(f.state, LDP_NBR_STA_OPERATIONAL);
	ck_assert_str_eq(calls, "kato,kato,init,ka,kato,kato,katimer,up,");
	ck_assert_uint_eq(f.transitions, 3);
	calls[0] = '\0';
	ldp_fsm_event(&f, LDP_EVT_KEEPALIVE_TIMEOUT, 0);
	ck_assert_str_eq(calls, "stop,notif(20),close,down,");
	ck_assert_uint_eq(f.transitions, 4);
}
END_TEST

START_TEST(active_opening)
{
	ldp_fsm_event(&f, LDP_EVT_CONNECT_UP, 0);
	ck_assert_int_eq(f.state, LDP_NBR_STA_OPENSENT);
	ldp_fsm_event(&f, LDP_EVT_INIT_RCVD, 0);
	ck_assert_int_eq(f.state, LDP_NBR_STA_OPENREC);
	ldp_fsm_event(&f, LDP_EVT_KEEPALIVE_RCVD, 0);
	ck_assert_int_eq(f.state, LDP_NBR_STA_OPERATIONAL);
	ck_assert_str_eq(calls, "kato,init,ka,kato,katimer,up,");
	ck_assert_uint_eq(f.transitions, 4);
	calls[0] = '\0';
	ldp_fsm_event(&f, LDP_EVT_CLOSE_SESSION, LDP_FSM_ST_SHUTDOWN);
	ck_assert_str_eq(calls, "stop,notif(10),close,down,");
	/* a new session can start again */
	calls[0] = '\0';
	ldp_fsm_event(&f, LDP_EVT_MATCH_ADJ, 0);
	ck_assert_int_eq(f.state, LDP_NBR_STA_INITIALIZED);
}
END_TEST

START_TEST(names)
{
	int n, i;
	const struct ldp_fsm_row *t = ldp_fsm_table(&n);

	ck_assert_int_eq(n, 15);
	for (i = 0; i < n; i++) {
		ck_assert_str_ne(ldp_fsm_event_name(t[i].event), "UNKNOWN");
		ck_assert_str_ne(ldp_fsm_action_name(t[i].action), "UNKNOWN");
		ck_assert(t[i].new_state == 0 ||
			  strcmp(ldp_fsm_state_name(t[i].new_state), "UNKNOWN") != 0);
	}
	ck_assert_str_eq(ldp_fsm_state_name(LDP_NBR_STA_OPERATIONAL), "OPERATIONAL");
	ck_assert_str_eq(ldp_fsm_event_name(LDP_EVT_MAX), "UNKNOWN");
}
END_TEST

static Suite *fsm_suite(void)
{
	Suite *s = suite_create("ldp_fsm");
	TCase *tc = tcase_create("rows");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, row_nonexistent_match_adj);
	tcase_add_test(tc, row_initialized_init_rcvd);
	tcase_add_test(tc, row_nonexistent_connect_up);
	tcase_add_test(tc, row_initialized_init_sent);
	tcase_add_test(tc, row_opensent_init_rcvd);
	tcase_add_test(tc, row_openrec_keepalive_rcvd);
	tcase_add_test(tc, row_operational_keepalive_rcvd);
	tcase_add_test(tc, row_session_pdu_rcvd);
	tcase_add_test(tc, row_operational_pdu_sent);
	tcase_add_test(tc, row_init_phase_pdu_sent);
	tcase_add_test(tc, row_init_rcvd_unexpected);
	tcase_add_test(tc, row_keepalive_before_init);
	tcase_add_test(tc, row_session_keepalive_timeout);
	tcase_add_test(tc, row_session_close);
	tcase_add_test(tc, row_nonexistent_close);
	suite_add_tcase(s, tc);

	tc = tcase_create("invalid");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, invalid_pairs_are_exactly_the_gaps);
	tcase_add_loop_test(tc, invalid_event, 0, N_INVALID);
	tcase_add_test(tc, send_init_fails);
	tcase_add_test(tc, send_keepalive_fails);
	suite_add_tcase(s, tc);

	tc = tcase_create("sequences");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, passive_opening);
	tcase_add_test(tc, active_opening);
	tcase_add_test(tc, names);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(fsm_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
