/* test_report.c -- numbers for people (units.h), run totals (tally.h) and
   the JSON Lines report (report.h). */
#include "helpers.h"
#include "progress.h"
#include "report.h"
#include "suites.h"
#include "tally.h"
#include "units.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

START_TEST(test_format_count)
{
    char buf[UNITS_BUF];
    ck_assert_str_eq(format_count(buf, 0), "0");
    ck_assert_str_eq(format_count(buf, 999), "999");
    ck_assert_str_eq(format_count(buf, 1000), "1,000");
    ck_assert_str_eq(format_count(buf, 8012), "8,012");
    ck_assert_str_eq(format_count(buf, 1234567), "1,234,567");
    ck_assert_str_eq(format_count(buf, UINT64_MAX), "18,446,744,073,709,551,615");
}
END_TEST

START_TEST(test_format_bytes)
{
    char buf[UNITS_BUF];
    ck_assert_str_eq(format_bytes(buf, 0), "0 B");
    ck_assert_str_eq(format_bytes(buf, 999), "999 B");
    ck_assert_str_eq(format_bytes(buf, 1000), "1.0 kB");
    ck_assert_str_eq(format_bytes(buf, 115800000), "115.8 MB");
    ck_assert_str_eq(format_bytes(buf, 999949), "999.9 kB");
    ck_assert_str_eq(format_bytes(buf, 999950), "1.0 MB");     /* not 1000.0 kB */
    ck_assert_str_eq(format_bytes(buf, 5368709120ULL), "5.4 GB");
    ck_assert_str_eq(format_bytes(buf, UINT64_MAX), "18.4 EB");
}
END_TEST

START_TEST(test_format_clock)
{
    char buf[UNITS_BUF];
    ck_assert_str_eq(format_clock(buf, 0), "0:00");
    ck_assert_str_eq(format_clock(buf, 65.2), "1:05");
    ck_assert_str_eq(format_clock(buf, 3723), "1:02:03");
    ck_assert_str_eq(format_clock(buf, -1), "--:--");
    ck_assert_str_eq(format_clock(buf, 1e12), "--:--");
}
END_TEST

static struct result *fake_result(size_t index, enum status status,
                                  uint64_t in, uint64_t out)
{
    struct result *res = result_new(index);
    res->status = status;
    res->bytes_in = in;
    res->bytes_out = out;
    return res;
}

START_TEST(test_tally_summary)
{
    struct tally t;
    tally_start(&t);
    struct result *a = fake_result(0, STATUS_OK, 100000000, 18500000);
    struct result *b = fake_result(1, STATUS_ERROR, 0, 0);
    struct result *c = fake_result(2, STATUS_WARNING, 15800000, 2900000);
    tally_add(&t, a);
    tally_add(&t, b);
    tally_add(&t, c);
    ck_assert_uint_eq(t.files, 3);
    ck_assert_uint_eq(t.errors, 1);
    ck_assert_uint_eq(t.warnings, 1);
    char line[256];
    tally_summary(&t, line, sizeof line);
    char expect[] = "pgz: 3 files (1 error, 1 warning), 115.8 MB -> 21.4 MB (18.5%), ";
    ck_assert_msg(strncmp(line, expect, strlen(expect)) == 0, "got %s", line);
    ck_assert_msg(strstr(line, " s, ") != NULL && strstr(line, "B/s\n") != NULL,
                  "got %s", line);
    result_free(a);
    result_free(b);
    result_free(c);
}
END_TEST

/* The report written for `res` and a summary, read back whole. */
static char *report_text(struct result *res)
{
    char path[] = "/tmp/pgz-report-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    report_t *r = report_open(path);
    ck_assert_ptr_nonnull(r);
    struct tally t;
    tally_start(&t);
    tally_add(&t, res);
    report_file(r, res);
    report_summary(r, &t, MODE_COMPRESS, 0);
    ck_assert_ptr_null(report_close(r));
    struct membuf b = {0};
    read_file_all(path, &b);
    unlink(path);
    membuf_append(&b, "", 1);
    return (char *)b.data;
}

START_TEST(test_report_escapes)
{
    struct result *res = fake_result(0, STATUS_WARNING, 12, 34);
    result_set_name(&res->input, "a\"b\\c\td\n\x01\x7f" "caf\xc3\xa9" "\xff" "\xc0\xaf");
    result_set_name(&res->output, NULL);
    result_warning(res, true, "%s: oops", "x");
    char *text = report_text(res);
    const char *want =
        "{\"type\":\"file\",\"input\":\"a\\\"b\\\\c\\td\\n\\u0001\\u007f"
        "caf\xc3\xa9\\udcff\\udcc0\\udcaf\",\"output\":null,"
        "\"status\":\"warning\",\"message\":\"x: oops\",\"bytes_in\":12,"
        "\"bytes_out\":34,\"seconds\":0.000000}\n"
        "{\"type\":\"summary\",\"mode\":\"compress\",\"files\":1,\"ok\":0,"
        "\"warnings\":1,\"errors\":0,\"bytes_in\":12,\"bytes_out\":34,"
        "\"seconds\":";
    ck_assert_msg(strncmp(text, want, strlen(want)) == 0, "got\n%s", text);
    ck_assert_ptr_nonnull(strstr(text, ",\"exit_status\":0}\n"));
    free(text);
    result_free(res);
}
END_TEST

START_TEST(test_report_utf8_edges)
{
    /* Surrogates (ED A0 80), overlong forms and code points past U+10FFFF
       are not UTF-8: each of their bytes is escaped. */
    struct result *res = fake_result(0, STATUS_OK, 0, 0);
    result_set_name(&res->input, "\xed\xa0\x80|\xe0\x80\xaf|\xf4\x90\x80\x80|\xf0\x9f\x98\x80");
    char *text = report_text(res);
    ck_assert_msg(strstr(text, "\"input\":\"\\udced\\udca0\\udc80|"
                               "\\udce0\\udc80\\udcaf|"
                               "\\udcf4\\udc90\\udc80\\udc80|\xf0\x9f\x98\x80\"")
                  != NULL, "got\n%s", text);
    free(text);
    result_free(res);
}
END_TEST

START_TEST(test_report_open_fails)
{
    ck_assert_ptr_null(report_open("/nonexistent-dir/report.json"));
}
END_TEST

START_TEST(test_note_keeps_first_message)
{
    struct result *res = result_new(0);
    result_note(res, "%s already has .gz suffix -- unchanged", "a.gz");
    result_error(res, "later");
    ck_assert_str_eq(res->message, "a.gz already has .gz suffix -- unchanged");
    ck_assert_int_eq(res->status, STATUS_ERROR);
    ck_assert_ptr_nonnull(strstr(res->log, "later"));
    result_free(res);
}
END_TEST

/* Everything written on `f` so far. */
static char *stream_text(FILE *f)
{
    fflush(f);
    long len = ftell(f);
    ck_assert_int_ge(len, 0);
    char *text = xcalloc(1, (size_t)len + 1);
    rewind(f);
    ck_assert_uint_eq(fread(text, 1, (size_t)len, f), (size_t)len);
    return text;
}

START_TEST(test_progress_plain_lines)
{
    FILE *f = tmpfile();
    ck_assert_ptr_nonnull(f);
    progress_t *p = progress_start(PROGRESS_ALWAYS, f, false, 0);
    ck_assert_ptr_nonnull(p);
    progress_planned(p, "a", 1000, true);
    progress_planned(p, "b", 3000, true);
    progress_advance(p, 1000);
    progress_file_done(p);
    usleep(1300 * 1000);                /* past the first second */
    progress_print(p, "pgz: b: oops\n");
    progress_stop(p);
    char *text = stream_text(f);
    /* One plain line a second, planning not done: totals with "+". */
    ck_assert_msg(strncmp(text, "pgz progress: 1/2+ files  1.0 kB/4.0 kB+  ", 42) == 0,
                  "got [%s]", text);
    ck_assert_ptr_null(strchr(text, '\r'));
    ck_assert_ptr_null(strchr(text, '\033'));
    ck_assert_ptr_nonnull(strstr(text, "B/s\npgz: b: oops\n"));
    free(text);
    fclose(f);
}
END_TEST

START_TEST(test_progress_terminal_erases)
{
    FILE *f = tmpfile();
    ck_assert_ptr_nonnull(f);
    progress_t *p = progress_start(PROGRESS_AUTO, f, true, 1);
    ck_assert_ptr_nonnull(p);
    progress_planned(p, "big", 4000, true);
    progress_advance(p, 1000);
    usleep(1300 * 1000);
    progress_print(p, "pgz: x: oops\n");
    progress_stop(p);
    char *text = stream_text(f);
    /* Drawn in place with a bar, erased before the message, drawn again,
       and erased at the end. */
    ck_assert_msg(strncmp(text, "\rpgz progress: [=====>              ]  25%  "
                                "1.0 kB/4.0 kB  ", 59) == 0, "got [%s]", text);
    /* 80 columns when the stream is not a terminal: the line is cut to
       79, so that it never wraps (the name goes first). */
    char *end = strstr(text, "\033[K");
    ck_assert_ptr_nonnull(end);
    ck_assert_int_eq(end - text - 1, 79);
    ck_assert_ptr_nonnull(strstr(text, "\033[K\r\033[Kpgz: x: oops\n\rpgz progress: "));
    size_t len = strlen(text);
    ck_assert_str_eq(text + len - 4, "\r\033[K");
    free(text);
    fclose(f);
}
END_TEST

START_TEST(test_progress_off)
{
    ck_assert_ptr_null(progress_start(PROGRESS_AUTO, stderr, false, 0));
    ck_assert_ptr_null(progress_start(PROGRESS_NEVER, stderr, true, 0));
    /* NULL is "no line": every call is harmless. */
    progress_planned(NULL, "x", 1, true);
    progress_advance(NULL, 1);
    progress_file_done(NULL);
    progress_planning_done(NULL);
    progress_erase_on_signal();
    progress_stop(NULL);
}
END_TEST

Suite *report_suite(void)
{
    Suite *s = suite_create("report");
    TCase *tc = tcase_create("units");
    tcase_add_test(tc, test_format_count);
    tcase_add_test(tc, test_format_bytes);
    tcase_add_test(tc, test_format_clock);
    tcase_add_test(tc, test_tally_summary);
    tcase_add_test(tc, test_note_keeps_first_message);
    suite_add_tcase(s, tc);
    tc = tcase_create("json");
    tcase_add_test(tc, test_report_escapes);
    tcase_add_test(tc, test_report_utf8_edges);
    tcase_add_test(tc, test_report_open_fails);
    suite_add_tcase(s, tc);
    tc = tcase_create("progress");
    tcase_add_test(tc, test_progress_plain_lines);
    tcase_add_test(tc, test_progress_terminal_erases);
    tcase_add_test(tc, test_progress_off);
    suite_add_tcase(s, tc);
    return s;
}
