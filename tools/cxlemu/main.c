/* SPDX-License-Identifier: MIT */
/* main.c - placeholder CLI entry point. */
int main(void)
{
	return 0;
}
