"""Password hashing: Argon2id with the parameters OWASP recommends.

Django's own Argon2PasswordHasher uses 100 MiB and 8 lanes; on a 2-core box that costs more
CPU per sign-in than the whole rest of a submission (issue 14). OWASP's Password Storage
Cheat Sheet (https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html,
"Argon2id") gives as its first configuration m=19 MiB (19456 KiB), t=2 iterations, p=1, with
the same protection as the heavier settings traded between memory and iterations.

The algorithm name stays "argon2", so the stored hashes are standard PHC strings that
Django's hasher also verifies; hashes with other parameters are upgraded on the next
sign-in (Django's must_update compares the parameters).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class OwaspArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id, m=19 MiB, t=2, p=1 (OWASP Password Storage Cheat Sheet)."""

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
