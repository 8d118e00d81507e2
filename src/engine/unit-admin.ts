// A unit admin's tools in chat: their unit's standing in the open round, its links and QR code
// to forward into their groups, and a reminder to the subtree's people who have not taken part
// (previewed with its size, confirmed, one per unit per day). Every button is checked against
// the directory: a forged «ua:» payload from anyone else gets a refusal.
import { unitLinks } from "../contest/unit-links.js";
import { BUTTONS, M } from "../messages/index.js";
import { DATA } from "./keyboards.js";
import { administeredUnit, showMenu } from "./menu.js";
import { type EngineContext, type RegisteredTurn, say } from "./turn.js";
import type { Button } from "./types.js";

export type UnitAdminAction = keyof typeof DATA.unitAdmin;

const toolButtons = (): Button[][] => [
  [{ label: BUTTONS.unitStanding, data: DATA.unitAdmin.standing }],
  [{ label: BUTTONS.unitLinks, data: DATA.unitAdmin.links }],
  [{ label: BUTTONS.unitRemind, data: DATA.unitAdmin.remind }],
];

export async function onUnitAdmin(ctx: EngineContext, turn: RegisteredTurn, action: UnitAdminAction): Promise<void> {
  const unit = administeredUnit(ctx, turn.participant.phone);
  if (!unit) {
    say(turn, M.notUnitAdmin);
    return showMenu(ctx, turn);
  }
  if (action === "menu") return say(turn, M.unitAdminMenu(unit.name), { buttons: toolButtons() });
  if (action === "standing") {
    const s = await ctx.unitTools.standing(unit.code, turn.now);
    say(
      turn,
      s ? M.unitStanding({ ...s, unit: unit.name, parent: s.parent?.name, change: s.attempted - s.attemptedDayAgo }) : M.unitNoRound,
      { buttons: toolButtons() },
    );
    return;
  }
  if (action === "links") {
    const links = unitLinks(unit.code, ctx.links ?? {});
    if (!links.telegram && !links.landing) return say(turn, M.unitLinksMissing, { buttons: toolButtons() });
    say(turn, M.unitLinks(unit.name, links.telegram, links.landing));
    say(turn, M.unitQrCaption(unit.name), {
      document: { kind: "unitQr", code: unit.code, filename: `ma-qr-${unit.code}.png` },
      buttons: toolButtons(),
    });
    return;
  }
  if (action === "remind") {
    const size = await ctx.unitTools.reminderSize(unit.code, turn.now);
    if (!size) return say(turn, M.unitNoRound, { buttons: toolButtons() });
    if (size.accounts === 0) return say(turn, M.unitRemindNobody(unit.name, size.round), { buttons: toolButtons() });
    say(turn, M.unitRemindPreview(unit.name, size.round, size.accounts), {
      buttons: [
        [
          { label: BUTTONS.send, data: DATA.unitAdmin.send },
          { label: BUTTONS.cancel, data: DATA.unitAdmin.cancel },
        ],
      ],
    });
    return;
  }
  if (action === "cancel") return say(turn, M.unitRemindCancelled, { buttons: toolButtons() });
  const round = (await ctx.unitTools.reminderSize(unit.code, turn.now))?.round ?? 0;
  const result = await ctx.unitTools.sendReminder(
    unit.code,
    `${turn.participant.fullName} (${turn.participant.phone})`,
    {
      name: M.unitRemindName(unit.name, turn.now.toISOString().slice(0, 10)),
      text: M.unitRemindText(unit.name, round),
      buttons: [[{ label: BUTTONS.start, data: DATA.menuStart }]],
    },
    turn.now,
  );
  const text = result === "noRound" ? M.unitNoRound : result === "already" ? M.unitRemindAlready : M.unitRemindQueued(result.queued);
  say(turn, text, { buttons: toolButtons() });
}
