"""Slash commands on Discord: discord.py app_commands calling the platform-free command core.

    install(client.tree, core, guild_id=settings.discord.guild_id,
            admin_role_ids=settings.discord.admin_role_ids)       # in on_setup(tree)
    await sync_commands(client.tree, settings.discord.guild_id)

Each handler parses, checks permissions, calls `CommandCore`, renders an embed. Quick work
answers at once; /gap computes the report first (fast, so a bad model name is answered
ephemerally) and only then defers while the chart renders in a thread, then follows up with the
embed and the PNG attached as ``gap.png``. Errors are ephemeral and say what to type instead.
/track, /untrack, /subscribe and /unsubscribe need Manage Server: hidden by default
(`default_permissions`) and checked again at run time (server admins can override the former),
or one of the configured admin roles.
"""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import discord
from discord import app_commands

from bot.commands.core import CommandCore
from bot.errors import CommandError, GapwatchError
from bot.render.alert_discord import clip
from bot.render.chart import render_chart
from bot.render.report_discord import CHART_NAME, gap_embed, reply_embed

log = logging.getLogger(__name__)

Handler = Callable[..., Awaitable[None]]


async def send_error(interaction: discord.Interaction[Any], message: str) -> None:
    """An ephemeral error, whether or not the interaction was answered already."""
    text = clip(f"⚠️ {message}", 2000)
    if interaction.response.is_done():
        await interaction.followup.send(text, ephemeral=True)
    else:
        await interaction.response.send_message(text, ephemeral=True)


async def send_reply(interaction: discord.Interaction[Any], reply: Any, *, ephemeral: bool = False) -> None:
    embed = discord.Embed.from_dict(reply_embed(reply))
    if interaction.response.is_done():
        await interaction.followup.send(embed=embed, ephemeral=ephemeral)
    else:
        await interaction.response.send_message(embed=embed, ephemeral=ephemeral)


def is_admin(interaction: discord.Interaction[Any], admin_role_ids: Sequence[int]) -> bool:
    """Manage Server (or Administrator) in this guild, or one of the configured admin roles."""
    if interaction.guild_id is None:
        return False
    perms = interaction.permissions
    if perms.manage_guild or perms.administrator:
        return True
    roles = getattr(interaction.user, "roles", [])
    return any(role.id in admin_role_ids for role in roles)


def actor(interaction: discord.Interaction[Any]) -> str:
    return f"discord:{interaction.user.id}"


def install(
    tree: app_commands.CommandTree[Any],
    core: CommandCore,
    *,
    guild_id: int | None,
    admin_role_ids: Sequence[int] = (),
) -> None:
    """Define every gapwatch command on `tree` (for one guild when `guild_id` is given)."""
    guild = discord.Object(id=guild_id) if guild_id else None

    def guarded(handler: Handler, *, admin: bool = False) -> Handler:
        async def run(interaction: discord.Interaction[Any], **kwargs: Any) -> None:
            if admin and not is_admin(interaction, admin_role_ids):
                name = interaction.command.name if interaction.command else "this command"
                await send_error(interaction, f"/{name} needs the Manage Server permission.")
                return
            try:
                await handler(interaction, **kwargs)
            except GapwatchError as exc:
                await send_error(interaction, str(exc))

        return run

    async def model_choices(
        interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=label, value=key) for label, key in core.complete_model(current)]

    # --- /gap -----------------------------------------------------------------------------

    async def _gap(interaction: discord.Interaction[Any], model: str) -> None:
        report = await core.gap(model)  # fast; an unknown model is answered before deferring
        await interaction.response.defer(thinking=True)
        png = await asyncio.to_thread(render_chart, report)
        await interaction.followup.send(
            embed=discord.Embed.from_dict(gap_embed(report)), file=discord.File(io.BytesIO(png), CHART_NAME)
        )

    @app_commands.command(name="gap", description="Who caught up with a frontier model, and how fast")
    @app_commands.describe(model="frontier model key or alias, e.g. o1, gpt-4, o1-preview")
    @app_commands.autocomplete(model=model_choices)
    async def gap(interaction: discord.Interaction[Any], model: str) -> None:
        await guarded(_gap)(interaction, model=model)

    # --- /claims, /frontier -----------------------------------------------------------------

    async def _claims(interaction: discord.Interaction[Any], model: str | None, days: int) -> None:
        await send_reply(interaction, await core.claims(model, days))

    @app_commands.command(name="claims", description="Recent parity claims, newest first")
    @app_commands.describe(model="only claims against this frontier model", days="how far back (default 30)")
    @app_commands.autocomplete(model=model_choices)
    async def claims(
        interaction: discord.Interaction[Any],
        model: str | None = None,
        days: app_commands.Range[int, 1, 3650] = 30,
    ) -> None:
        await guarded(_claims)(interaction, model=model, days=days)

    async def _frontier(interaction: discord.Interaction[Any]) -> None:
        await send_reply(interaction, core.frontier())

    @app_commands.command(name="frontier", description="The frontier models gapwatch tracks")
    async def frontier(interaction: discord.Interaction[Any]) -> None:
        await guarded(_frontier)(interaction)

    # --- /track, /untrack -------------------------------------------------------------------

    async def _track(
        interaction: discord.Interaction[Any],
        name: str,
        aliases: str | None,
        released: str | None,
        lab: str | None,
    ) -> None:
        reply = await core.track(name, aliases=aliases, released=released, lab=lab, actor=actor(interaction))
        await send_reply(interaction, reply)

    @app_commands.command(name="track", description="Track a frontier model (Manage Server)")
    @app_commands.describe(
        name="model name, e.g. Grok 4",
        aliases="other spellings, separated by commas",
        released="release date, YYYY-MM-DD (default today)",
        lab="the lab that made it",
    )
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    async def track(
        interaction: discord.Interaction[Any],
        name: str,
        aliases: str | None = None,
        released: str | None = None,
        lab: str | None = None,
    ) -> None:
        await guarded(_track, admin=True)(interaction, name=name, aliases=aliases, released=released, lab=lab)

    async def _untrack(interaction: discord.Interaction[Any], model: str) -> None:
        await send_reply(interaction, await core.untrack(model, actor=actor(interaction)))

    @app_commands.command(name="untrack", description="Stop tracking a frontier model (Manage Server)")
    @app_commands.describe(model="frontier model key or alias")
    @app_commands.autocomplete(model=model_choices)
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    async def untrack(interaction: discord.Interaction[Any], model: str) -> None:
        await guarded(_untrack, admin=True)(interaction, model=model)

    # --- /subscribe, /unsubscribe -----------------------------------------------------------

    async def _subscribe(interaction: discord.Interaction[Any], **filters: Any) -> None:
        if interaction.channel_id is None:
            raise CommandError("run /subscribe in the channel that should receive alerts")
        reply = await core.subscribe(f"discord:{interaction.channel_id}", actor=actor(interaction), **filters)
        await send_reply(interaction, reply)

    @app_commands.command(name="subscribe", description="Send parity alerts to this channel (Manage Server)")
    @app_commands.describe(
        frontier="frontier models, separated by commas (default: all tracked)",
        labs="competitor labs, separated by commas",
        relations="matches, exceeds, approaches, trails (default: the first three)",
        min_confidence="0 to 1 (default 0.5)",
    )
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    async def subscribe(
        interaction: discord.Interaction[Any],
        frontier: str | None = None,
        labs: str | None = None,
        relations: str | None = None,
        min_confidence: app_commands.Range[float, 0.0, 1.0] | None = None,
    ) -> None:
        await guarded(_subscribe, admin=True)(
            interaction, frontier=frontier, labs=labs, relations=relations, min_confidence=min_confidence
        )

    async def _unsubscribe(interaction: discord.Interaction[Any]) -> None:
        await send_reply(interaction, await core.unsubscribe(f"discord:{interaction.channel_id}"))

    @app_commands.command(
        name="unsubscribe", description="Stop /subscribe alerts in this channel (Manage Server)"
    )
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    async def unsubscribe(interaction: discord.Interaction[Any]) -> None:
        await guarded(_unsubscribe, admin=True)(interaction)

    # --- /sources, /status ------------------------------------------------------------------

    async def _sources(interaction: discord.Interaction[Any]) -> None:
        await send_reply(interaction, await core.sources(), ephemeral=True)

    @app_commands.command(name="sources", description="Source health: last success, failures, next poll")
    async def sources(interaction: discord.Interaction[Any]) -> None:
        await guarded(_sources)(interaction)

    async def _status(interaction: discord.Interaction[Any]) -> None:
        await send_reply(interaction, await core.status(), ephemeral=True)

    @app_commands.command(name="status", description="Outbox depth, parked deliveries, version")
    async def status(interaction: discord.Interaction[Any]) -> None:
        await guarded(_status)(interaction)

    commands: list[app_commands.Command[Any, Any, None]] = [
        gap,
        claims,
        frontier,
        track,
        untrack,
        subscribe,
        unsubscribe,
        sources,
        status,
    ]
    for command in commands:
        tree.add_command(command, guild=guild, override=True)


async def sync_commands(tree: app_commands.CommandTree[Any], guild_id: int | None) -> int:
    """Register the commands with Discord: per guild when configured (instant), else globally
    (may take up to an hour to show). Returns how many commands Discord accepted."""
    if guild_id:
        synced = await tree.sync(guild=discord.Object(id=guild_id))
    else:
        synced = await tree.sync()
    log.info("synced %d slash commands %s", len(synced), f"to guild {guild_id}" if guild_id else "globally")
    return len(synced)
