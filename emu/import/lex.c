/* SPDX-License-Identifier: MIT */
/*
 * lex.c - words and numbers of one input line.
 *
 * Numbers follow strtoul(..., 0) as qtest documents it (decimal, 0x hex,
 * leading-0 octal) but are exact: the whole word must be a number, no
 * sign, no overflow. Nothing here allocates or reads past the line.
 */
#include <string.h>

#include "import_int.h"

/* Points @lx at @line[0..len). */
void imp_lex_init(struct imp_lex *lx, const char *line, size_t len)
{
	lx->start = line;
	lx->p = line;
	lx->end = line + len;
}

/* Skips blanks, returns the next blank-delimited word; false at the end. */
bool imp_lex_word(struct imp_lex *lx, const char **w, size_t *n)
{
	const char *s;

	while (lx->p < lx->end && (*lx->p == ' ' || *lx->p == '\t'))
		lx->p++;
	if (lx->p == lx->end)
		return false;
	s = lx->p;
	while (lx->p < lx->end && *lx->p != ' ' && *lx->p != '\t')
		lx->p++;
	*w = s;
	*n = (size_t)(lx->p - s);
	return true;
}

/* Reads the next word as a number (imp_parse_num); false if it is not. */
bool imp_lex_num(struct imp_lex *lx, uint64_t *v)
{
	const char *w;
	size_t n;

	return imp_lex_word(lx, &w, &n) && imp_parse_num(w, n, v);
}

/* True when only blanks remain. */
bool imp_lex_at_end(struct imp_lex *lx)
{
	while (lx->p < lx->end && (*lx->p == ' ' || *lx->p == '\t'))
		lx->p++;
	return lx->p == lx->end;
}

/* Value of one digit in @base, or -1. */
static int digit(char ch, unsigned base)
{
	int d;

	if (ch >= '0' && ch <= '9')
		d = ch - '0';
	else if (ch >= 'a' && ch <= 'f')
		d = ch - 'a' + 10;
	else if (ch >= 'A' && ch <= 'F')
		d = ch - 'A' + 10;
	else
		return -1;
	return (unsigned)d < base ? d : -1;
}

/* Parses all of @s[0..n) in @base; false on an empty string, junk, overflow. */
static bool parse_base(const char *s, size_t n, unsigned base, uint64_t *v)
{
	uint64_t x = 0;

	if (!n)
		return false;
	for (size_t i = 0; i < n; i++) {
		int d = digit(s[i], base);

		/* overflow found by the checked operations, not a division per digit */
		if (d < 0 || __builtin_mul_overflow(x, (uint64_t)base, &x) ||
		    __builtin_add_overflow(x, (uint64_t)d, &x))
			return false;
	}
	*v = x;
	return true;
}

/* Parses @s[0..n) like strtoull(s, NULL, 0) but exactly; false if not a number. */
bool imp_parse_num(const char *s, size_t n, uint64_t *v)
{
	if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return parse_base(s + 2, n - 2, 16, v);
	if (n >= 2 && s[0] == '0')
		return parse_base(s + 1, n - 1, 8, v);
	return parse_base(s, n, 10, v);
}

/* Parses @s[0..n) as hex, with or without a 0x prefix. */
bool imp_parse_hex(const char *s, size_t n, uint64_t *v)
{
	if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return parse_base(s + 2, n - 2, 16, v);
	return parse_base(s, n, 16, v);
}
