// What organizers can do from a chat (Telegram /thongke and /guitin): live figures and a
// broadcast to everyone registered. Channels receive this as a dependency, so they need not
// know campaigns, reports or results.
import { type CampaignInput, createCampaign, previewCampaign } from "../broadcast/campaigns.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import { M } from "../messages/index.js";
import { type LiveStats, liveStats } from "../reports/reports.js";
import type { ContestServices } from "../services.js";

export interface OrganizerTools {
  /** Figures of the open round, with the five leading units as text lines. */
  liveFigures(): Promise<LiveStats & { units: string[] }>;
  previewBroadcast(text: string, createdBy: string): Promise<{ recipients: number; blocked: number }>;
  /** Queues the broadcast and audits it; returns the number of deliveries. */
  queueBroadcast(text: string, createdBy: string): Promise<number>;
}

const broadcastInput = (text: string, createdBy: string): CampaignInput => ({
  name: "Telegram /guitin",
  text,
  audience: { kind: "all" },
  createdBy,
});

export function organizerTools(prisma: PrismaClient, services: ContestServices): OrganizerTools {
  const { contest, attempts, results } = services;
  return {
    async liveFigures() {
      const stats = await liveStats(prisma, contest, attempts, new Date());
      const units = stats.roundId
        ? (await results.unitRanking(stats.roundId))
            .filter((u) => u.participants > 0 && u.rank !== null)
            .slice(0, 5)
            .map((u) => M.statsUnitLine(u.rank!, u.name, u.participants, u.rate))
        : [];
      return { ...stats, units };
    },
    previewBroadcast: (text, createdBy) => previewCampaign(prisma, contest, broadcastInput(text, createdBy), new Date()),
    async queueBroadcast(text, createdBy) {
      const campaign = await createCampaign(prisma, contest, broadcastInput(text, createdBy), new Date());
      await prisma.auditLog.create({
        data: { actor: createdBy, action: "campaign.create", details: { campaignId: campaign.id, via: "telegram" } },
      });
      return prisma.delivery.count({ where: { campaignId: campaign.id } });
    },
  };
}
