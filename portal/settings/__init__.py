"""Default settings: everything from the environment, safe local defaults when unset.

Production deployments use ``portal.settings.production``, which refuses to start
without the variables a real deployment needs.
"""

from portal.settings.base import *  # noqa: F403
