"""The environment the pseudo-terminal sessions run mpg in: a terminal without colour, private XDG
folders under the work directory, no API key from the caller, and no editrc of the user's."""
import os


def session_environment(work):
    environment = dict(os.environ)
    environment.update({
        "TERM": "xterm",
        "NO_COLOR": "1",
        "XDG_STATE_HOME": os.path.join(work, "state"),
        "XDG_CONFIG_HOME": os.path.join(work, "config"),
        "XDG_DATA_HOME": os.path.join(work, "data"),
        "CLICKHOUSE_CLOUD_API_KEY": "",
        "CLICKHOUSE_CLOUD_API_SECRET": "",
        "EDITRC": "/dev/null",
    })
    return environment
