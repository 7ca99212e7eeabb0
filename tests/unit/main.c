/* main.c -- the unit-test runner: every suite in one SRunner.  Tests run
   in forked children (Check's default), which the abort tests rely on. */
#include "suites.h"

#include <stdlib.h>

int main(void)
{
    SRunner *sr = srunner_create(chan_suite());
    srunner_add_suite(sr, waitgroup_suite());
    srunner_add_suite(sr, engine_suite());
    srunner_add_suite(sr, seqout_suite());
    srunner_add_suite(sr, reorder_suite());
    srunner_add_suite(sr, outfile_suite());
    srunner_add_suite(sr, cli_suite());
    srunner_add_suite(sr, misc_suite());
    srunner_add_suite(sr, report_suite());
    srunner_add_suite(sr, budget_suite());
    srunner_add_suite(sr, blocks_suite());
    srunner_add_suite(sr, dirs_suite());
    srunner_add_suite(sr, names_suite());
    srunner_add_suite(sr, lzw_suite());
    srunner_add_suite(sr, unpack_suite());
    srunner_add_suite(sr, unzip_suite());
    srunner_add_suite(sr, gzreader_suite());
    srunner_add_suite(sr, chunker_suite());
    srunner_add_suite(sr, members_suite());

    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
