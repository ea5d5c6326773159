/*
 * banned.h - functions that must not be used in tracestat.
 *
 * Included last by every source file; a call to one of these is a compile
 * error.  Use buf_addf, snprintf, strtoll/strtod with end checks instead.
 */
#ifndef TRACESTAT_BANNED_H
#define TRACESTAT_BANNED_H

#define BANNED(func) sorry_##func##_is_banned

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef atoi
#define atoi(x) BANNED(atoi)
#undef atol
#define atol(x) BANNED(atol)
#undef gets
#define gets(x) BANNED(gets)

#endif
