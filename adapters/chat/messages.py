"""Every text the chat commands say to a user themselves, in one place (as bolt-python keeps its
own in `slack_bolt/logger/messages.py`). Replies built by the command core are rendered by
`bot/render/`; these are the adapters' own: permission refusals, channel hints and failures."""

from __future__ import annotations

DISCORD_NEEDS_MANAGE_SERVER = "/{command} needs the Manage Server permission."
DISCORD_SUBSCRIBE_IN_CHANNEL = "run /subscribe in the channel that should receive alerts"
DISCORD_GUILD_ONLY = "/{command} works in a server channel, not in direct messages."
SLACK_ADMINS_ONLY = "{command} is for the Slack admins listed in [slack] admin_users."
SLACK_RUN_IN_CHANNEL = "run this in the channel that should receive alerts"
SLACK_CHART_NOT_UPLOADED = "The chart could not be uploaded: invite the gapwatch app to this channel."
FAILED = "Something went wrong on our side ({error}); the bot logged it. Try again in a minute."
