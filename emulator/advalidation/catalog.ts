import type { AdvalidationCampaign, AdvalidationCreative, Scan } from '../../src/upstreams/advalidation/client.js';
import { EMULATOR_EPOCH } from '../core/clock.js';
import { Rng } from '../core/random.js';

/** Advalidation's collections come in pages of a size the server fixes (the request names only the page). */
export const EMULATOR_PAGE_SIZE = 25;
export const FIRST_CAMPAIGN_ID = 41_001;
export const FIRST_CREATIVE_ID = 880_001;

/** What the discovery routes serve: campaigns, and the creatives of each, both in id order. */
export interface AdvalidationCatalog {
  campaigns: AdvalidationCampaign[];
  /** By campaign id (as a string), in id order: every campaign has an entry, an empty one included. */
  creatives: Map<string, AdvalidationCreative[]>;
}

const CAMPAIGN_COUNT = 60;
const SOURCES = [
  { sourceType: 'upload', sourceTypeLabel: 'Uploaded file', display: true },
  { sourceType: 'tag', sourceTypeLabel: 'HTML5 tag', display: true },
  { sourceType: 'vast', sourceTypeLabel: 'VAST URL', display: false },
] as const;
const SIZES: ReadonlyArray<[number, number]> = [
  [300, 250],
  [728, 90],
  [160, 600],
  [320, 50],
  [970, 250],
];

/**
 * How many creatives campaign `index` holds: the first spans three pages (25 + 25 + 10), the
 * second fills exactly one, the third is empty, the rest hold a few each.
 */
function creativeCount(index: number, rng: Rng): number {
  if (index === 0) return 2 * EMULATOR_PAGE_SIZE + 10;
  if (index === 1) return EMULATOR_PAGE_SIZE;
  if (index === 2) return 0;
  return rng.int(1, 12);
}

/**
 * Campaigns and creatives derived from the seeded scans, deterministically: every creative's
 * `latestScanStatus.id` is a scan `GET /v2/scans/{id}` serves (each scan is the latest of one
 * creative at most) and carries that scan's status; now and then a creative has never been
 * scanned (null). A VAST creative with variations is followed by its variations, whose parentId
 * names it. nbMediaFiles is null, as the docs say it is not available in list mode.
 */
export function catalogOf(scans: readonly Scan[], seed = 4242): AdvalidationCatalog {
  const rng = new Rng(seed);
  const campaigns: AdvalidationCampaign[] = [];
  const creatives = new Map<string, AdvalidationCreative[]>();
  let nextScan = 0;
  let nextCreative = FIRST_CREATIVE_ID;
  const latestScan = (): AdvalidationCreative['latestScanStatus'] => {
    // Every 31st creative was never scanned; otherwise the next seeded scan is its latest.
    if ((nextCreative - FIRST_CREATIVE_ID) % 31 === 30 || nextScan >= scans.length) return null;
    const scan = scans[nextScan++]!;
    return { id: scan.id, processingStatus: scan.processingStatus ?? null };
  };
  for (let index = 0; index < CAMPAIGN_COUNT; index += 1) {
    const id = FIRST_CAMPAIGN_ID + index;
    campaigns.push({
      id,
      name: `${rng.pick(['Spring', 'Summer', 'Autumn', 'Winter', 'Launch', 'Always-on'])} campaign ${index + 1}`,
      adspecId: index % 9 === 4 ? null : 300 + (index % 7),
    });
    const list: AdvalidationCreative[] = [];
    const wanted = creativeCount(index, rng);
    const userId = 5_000 + (index % 4);
    while (list.length < wanted) {
      const source = rng.pick(SOURCES);
      const [width, height] = source.display ? rng.pick(SIZES) : [null, null];
      const created = rng.dateBefore(EMULATOR_EPOCH, 40);
      const variations = source.sourceType === 'vast' && rng.bool(0.4) ? Math.min(2, wanted - list.length - 1) : 0;
      const creative = (parentId: number | null, name: string): AdvalidationCreative => {
        const creativeId = nextCreative;
        const latestScanStatus = latestScan();
        nextCreative += 1;
        return {
          id: creativeId,
          campaignId: id,
          name,
          createdAt: created.toISOString(),
          updatedAt: rng.bool(0.3) ? null : new Date(created.getTime() + rng.int(60, 86_400) * 1000).toISOString(),
          parentId,
          sourceType: source.sourceType,
          sourceTypeLabel: source.sourceTypeLabel,
          shareURL: `https://app.advalidation.io/share/${rng.hex(16)}`,
          livePreviewURL: `https://app.advalidation.io/preview/${creativeId}`,
          previewAnimationURL: source.display && rng.bool(0.5) ? `https://cdn.advalidation.io/previews/${creativeId}.gif` : null,
          width,
          height,
          userId,
          nbVariations: source.sourceType === 'vast' ? variations : null,
          nbMediaFiles: null,
          latestScanStatus,
        };
      };
      const parent = creative(null, `${source.sourceType === 'vast' ? 'Pre-roll' : `Banner ${width}x${height}`} #${list.length + 1}`);
      list.push(parent);
      for (let v = 0; v < variations && list.length < wanted; v += 1) {
        list.push({ ...creative(Number(parent.id), `${parent.name} variation ${v + 1}`), sourceType: 'vast', nbVariations: null });
      }
    }
    creatives.set(String(id), list);
  }
  return { campaigns, creatives };
}
