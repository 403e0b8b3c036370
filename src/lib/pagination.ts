export const PAGE_SIZE = 25;

export interface Page<T> {
  rows: T[];
  page: number;
  pages: number;
  total: number;
}

/**
 * Turns a requested page number into skip/take for a list of `total` rows.
 * @param requested page asked for (1-based; clamped).
 * @param total number of rows.
 * @param size rows per page.
 * @returns page, pages, skip and take.
 */
export function paginate(requested: number, total: number, size = PAGE_SIZE) {
  const pages = Math.max(1, Math.ceil(total / size));
  const page = Math.min(Math.max(1, Math.floor(requested) || 1), pages);
  return { page, pages, skip: (page - 1) * size, take: size };
}
