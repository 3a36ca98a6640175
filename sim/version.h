/* version.h - the version of privsim, printed by --version and written into JSON and SARIF. */
#ifndef PS_VERSION_H
#define PS_VERSION_H
#define PS_VERSION "0.1.0"
#endif
