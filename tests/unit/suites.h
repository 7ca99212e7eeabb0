/* suites.h -- one Check suite per module of pgz; main.c runs them all. */
#ifndef PGZ_TEST_SUITES_H
#define PGZ_TEST_SUITES_H

#include <check.h>

Suite *chan_suite(void);
Suite *waitgroup_suite(void);
Suite *engine_suite(void);
Suite *seqout_suite(void);
Suite *reorder_suite(void);
Suite *outfile_suite(void);
Suite *cli_suite(void);
Suite *misc_suite(void);
Suite *blocks_suite(void);
Suite *report_suite(void);
Suite *dirs_suite(void);
Suite *names_suite(void);
Suite *budget_suite(void);
Suite *lzw_suite(void);
Suite *unpack_suite(void);
Suite *unzip_suite(void);
Suite *gzreader_suite(void);
Suite *chunker_suite(void);
Suite *members_suite(void);

#endif
