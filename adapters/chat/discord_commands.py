"""Slash commands on Discord: a Cog of discord.py app commands calling the platform-free core.

    install(client.tree, core, guild_id=settings.discord.guild_id,
            admin_role_ids=settings.discord.admin_role_ids)       # in on_setup(tree)
    await sync_commands(client.tree, settings.discord.guild_id)

One method per command: it calls `CommandCore` and renders an embed. /gap computes the report
first (fast, so a bad model name is answered ephemerally) and only then defers while the chart
renders in a thread, then follows up with the embed and the PNG attached as ``gap.png``.
/track, /untrack, /subscribe and /unsubscribe are `admin_command`s: their `admin_only` check
wants Manage Server (or Administrator), or one of the configured admin roles; they are also
hidden by default (`default_permissions`, which server admins can override). Errors are handled once, by the
tree's `on_error`: a user mistake (a `GapwatchError`, a failed check) is an ephemeral line that
says what to type instead; anything else is logged and answered with a short apology.
"""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import discord
from discord import app_commands
from discord.ext import commands

from adapters.chat import messages
from bot.commands.core import CommandCore
from bot.errors import CommandError, GapwatchError
from bot.render.alert_discord import clip
from bot.render.chart import render_chart
from bot.render.report_discord import CHART_NAME, gap_embed, reply_embed

log = logging.getLogger(__name__)

Interaction = discord.Interaction[Any]


async def send_error(interaction: Interaction, message: str) -> None:
    """An ephemeral error, whether or not the interaction was answered already."""
    text = clip(f"⚠️ {message}", 2000)
    if interaction.response.is_done():
        await interaction.followup.send(text, ephemeral=True)
    else:
        await interaction.response.send_message(text, ephemeral=True)


async def send_reply(interaction: Interaction, reply: Any, *, ephemeral: bool = False) -> None:
    embed = discord.Embed.from_dict(reply_embed(reply))
    if interaction.response.is_done():
        await interaction.followup.send(embed=embed, ephemeral=ephemeral)
    else:
        await interaction.response.send_message(embed=embed, ephemeral=ephemeral)


def is_admin(interaction: Interaction, admin_role_ids: Sequence[int]) -> bool:
    """Manage Server (or Administrator) in this guild, or one of the configured admin roles."""
    if interaction.guild_id is None:
        return False
    perms = interaction.permissions
    if perms.manage_guild or perms.administrator:
        return True
    roles = getattr(interaction.user, "roles", [])
    return any(role.id in admin_role_ids for role in roles)


def actor(interaction: Interaction) -> str:
    return f"discord:{interaction.user.id}"


def _command_name(interaction: Interaction) -> str:
    return interaction.command.name if interaction.command else "this command"


class NotAdmin(app_commands.CheckFailure):
    """The user may not run an admin command here."""


async def _admin_check(interaction: Interaction) -> bool:
    cog = getattr(interaction.command, "binding", None)
    roles = cog.admin_role_ids if isinstance(cog, GapwatchCommands) else ()
    if is_admin(interaction, roles):
        return True
    raise NotAdmin(messages.DISCORD_NEEDS_MANAGE_SERVER.format(command=_command_name(interaction)))


admin_only = app_commands.check(_admin_check)

F = TypeVar("F", bound=Callable[..., Any])


def admin_command(name: str, description: str) -> Callable[[F], app_commands.Command[Any, Any, Any]]:
    """An app command for admins: hidden by default (Manage Server, which server admins can
    override), guild only, and checked again at run time by `admin_only`."""

    def wrap(func: F) -> app_commands.Command[Any, Any, Any]:
        checked = admin_only(app_commands.guild_only()(func))
        hidden = app_commands.default_permissions(manage_guild=True)(checked)
        return app_commands.command(name=name, description=f"{description} (Manage Server)")(hidden)

    return wrap


async def on_error(interaction: Interaction, error: app_commands.AppCommandError) -> None:
    """The one error handler of the command tree."""
    cause = error.original if isinstance(error, app_commands.CommandInvokeError) else error
    if isinstance(cause, GapwatchError | NotAdmin):
        text = str(cause)
    elif isinstance(cause, app_commands.NoPrivateMessage):
        text = messages.DISCORD_GUILD_ONLY.format(command=_command_name(interaction))
    else:
        log.error("/%s failed", _command_name(interaction), exc_info=cause)
        text = messages.FAILED.format(error=type(cause).__name__)
    try:
        await send_error(interaction, text)
    except discord.HTTPException as exc:  # the interaction expired, or Discord is down
        log.warning("could not answer /%s: %s", _command_name(interaction), exc)


class GapwatchCommands(commands.Cog):
    """The nine gapwatch commands over one `CommandCore`."""

    def __init__(self, core: CommandCore, *, admin_role_ids: Sequence[int] = ()) -> None:
        self.core = core
        self.admin_role_ids = tuple(admin_role_ids)

    async def model_choices(self, _interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
        pairs = self.core.complete_model(current)
        return [app_commands.Choice(name=label, value=key) for label, key in pairs]

    @app_commands.command(name="gap", description="Who caught up with a frontier model, and how fast")
    @app_commands.describe(model="frontier model key or alias, e.g. o1, gpt-4, o1-preview")
    async def gap(self, interaction: Interaction, model: str) -> None:
        report = await self.core.gap(model)  # fast; an unknown model is answered before deferring
        await interaction.response.defer(thinking=True)
        png = await asyncio.to_thread(render_chart, report)
        await interaction.followup.send(
            embed=discord.Embed.from_dict(gap_embed(report)), file=discord.File(io.BytesIO(png), CHART_NAME)
        )

    @app_commands.command(name="claims", description="Recent parity claims, newest first")
    @app_commands.describe(model="only claims against this frontier model", days="how far back (default 30)")
    async def claims(
        self, interaction: Interaction, model: str | None = None, days: app_commands.Range[int, 1, 3650] = 30
    ) -> None:
        await send_reply(interaction, await self.core.claims(model, days))

    @app_commands.command(name="frontier", description="The frontier models gapwatch tracks")
    async def frontier(self, interaction: Interaction) -> None:
        await send_reply(interaction, self.core.frontier())

    @admin_command("track", "Track a frontier model")
    @app_commands.describe(
        name="model name, e.g. Grok 4",
        aliases="other spellings, separated by commas",
        released="release date, YYYY-MM-DD (default today)",
        lab="the lab that made it",
    )
    async def track(
        self,
        interaction: Interaction,
        name: str,
        aliases: str | None = None,
        released: str | None = None,
        lab: str | None = None,
    ) -> None:
        reply = await self.core.track(
            name, aliases=aliases, released=released, lab=lab, actor=actor(interaction)
        )
        await send_reply(interaction, reply)

    @admin_command("untrack", "Stop tracking a frontier model")
    @app_commands.describe(model="frontier model key or alias")
    async def untrack(self, interaction: Interaction, model: str) -> None:
        await send_reply(interaction, await self.core.untrack(model, actor=actor(interaction)))

    @admin_command("subscribe", "Send parity alerts to this channel")
    @app_commands.describe(
        frontier="frontier models, separated by commas (default: all tracked)",
        labs="competitor labs, separated by commas",
        relations="matches, exceeds, approaches, trails (default: the first three)",
        min_confidence="0 to 1 (default 0.5)",
    )
    async def subscribe(
        self,
        interaction: Interaction,
        frontier: str | None = None,
        labs: str | None = None,
        relations: str | None = None,
        min_confidence: app_commands.Range[float, 0.0, 1.0] | None = None,
    ) -> None:
        if interaction.channel_id is None:
            raise CommandError(messages.DISCORD_SUBSCRIBE_IN_CHANNEL)
        reply = await self.core.subscribe(
            f"discord:{interaction.channel_id}",
            actor=actor(interaction),
            frontier=frontier,
            labs=labs,
            relations=relations,
            min_confidence=min_confidence,
        )
        await send_reply(interaction, reply)

    @admin_command("unsubscribe", "Stop /subscribe alerts in this channel")
    async def unsubscribe(self, interaction: Interaction) -> None:
        await send_reply(interaction, await self.core.unsubscribe(f"discord:{interaction.channel_id}"))

    @app_commands.command(name="sources", description="Source health: last success, failures, next poll")
    async def sources(self, interaction: Interaction) -> None:
        await send_reply(interaction, await self.core.sources(), ephemeral=True)

    @app_commands.command(name="status", description="Outbox depth, parked deliveries, version")
    async def status(self, interaction: Interaction) -> None:
        await send_reply(interaction, await self.core.status(), ephemeral=True)

    gap.autocomplete("model")(model_choices)
    claims.autocomplete("model")(model_choices)
    untrack.autocomplete("model")(model_choices)


def install(
    tree: app_commands.CommandTree[Any],
    core: CommandCore,
    *,
    guild_id: int | None,
    admin_role_ids: Sequence[int] = (),
) -> GapwatchCommands:
    """Put every gapwatch command on `tree` (for one guild when `guild_id` is given) and make
    `on_error` the tree's error handler."""
    guild = discord.Object(id=guild_id) if guild_id else None
    cog = GapwatchCommands(core, admin_role_ids=admin_role_ids)
    for command in cog.get_app_commands():
        tree.add_command(command, guild=guild, override=True)
    tree.error(on_error)
    return cog


async def sync_commands(tree: app_commands.CommandTree[Any], guild_id: int | None) -> int:
    """Register the commands with Discord: per guild when configured (instant), else globally
    (may take up to an hour to show). Returns how many commands Discord accepted."""
    if guild_id:
        synced = await tree.sync(guild=discord.Object(id=guild_id))
    else:
        synced = await tree.sync()
    log.info("synced %d slash commands %s", len(synced), f"to guild {guild_id}" if guild_id else "globally")
    return len(synced)
