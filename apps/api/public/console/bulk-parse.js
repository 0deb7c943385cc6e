/** JSON array, or CSV with a header row; quantity columns become numbers, empty cells are left out. */
export function parseBulk(text) {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) return JSON.parse(trimmed);
  const [header, ...lines] = trimmed.split(/\r?\n/).filter((line) => line.trim() !== '');
  if (!header) throw new Error('nothing to import');
  const columns = header.split(',').map((c) => c.trim());
  return lines.map((line) => {
    const cells = line.split(',').map((c) => c.trim());
    const item = {};
    columns.forEach((column, i) => {
      const cell = cells[i];
      if (cell === undefined || cell === '') return;
      item[column] = /(Quantity|Threshold|PerCustomer)$/.test(column) && /^-?\d+(\.\d+)?$/.test(cell) ? Number(cell) : cell;
    });
    return item;
  });
}
