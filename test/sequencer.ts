// The order files start in, across the three projects: longest first, so that the files that mostly wait (on
// pollers, leases, grace periods) start at once and the short ones fill the gaps; unit files, all quick, last.
// A file's duration comes from vitest's results cache of earlier runs; on a fresh clone, without one, from the
// estimates below (seconds, from a full run on 2 cores), else it counts as a short integration file.
import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const ESTIMATES: Record<string, number> = {
  'faults-kill-poller': 24,
  'hostile-round2': 22,
  'faults-keyvault': 13,
  'bes-jobs': 11,
  portal: 10,
  'faults-storage': 8,
  'faults-backend-bes': 8,
  'faults-brownout': 8,
  'access-control': 7,
  'fuzz-data-plane': 6,
  'fuzz-management': 6,
};

export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const estimate = (spec: TestSpecification): number => {
      const cached = this.ctx.cache.getFileTestResults(`${spec.project.name}:${path.relative(root, spec.moduleId)}`);
      if (cached) return cached.duration;
      const seconds = ESTIMATES[path.basename(spec.moduleId, '.test.ts')];
      if (seconds !== undefined) return seconds * 1000;
      return spec.project.name === 'unit' ? 0 : 1_000;
    };
    const estimates = new Map(files.map((spec) => [spec, estimate(spec)]));
    return [...files].sort((a, b) => estimates.get(b)! - estimates.get(a)!);
  }
}
