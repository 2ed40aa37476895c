"""Runs Debian's `backblaze-b2` CLI (1.3.8) with its `--dev` realm pointed at our emulator.

That CLI only knows three hard-coded realms; this wrapper swaps the URL of the `dev` one and then runs the
CLI's own `main()` unchanged. Usage: realm.py URL <b2 arguments...>
"""
import sys

import b2.account_info.abstract as abstract

abstract.AbstractAccountInfo.REALM_URLS['dev'] = sys.argv.pop(1)

from b2.console_tool import main  # noqa: E402 - the realm must be patched first

main()
