/* version.h -- the one place pgz's version number lives. */
#define PGZ_VERSION "0.1.0"
