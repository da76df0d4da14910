import { readReference } from '../base/files';
import type { FileAccess } from '../diagnostics/types';

/** FileAccess over the real disk, for the server and the CLI: workspace-bound, regular files, size-limited. */
export const nodeFiles: FileAccess = { read: readReference };
