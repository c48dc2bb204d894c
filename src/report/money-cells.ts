/**
 * Amounts in tables: a cell remembers its amount (`usd`), and before a table is drawn every
 * amount of a column gets the column's decimals, so that "$0.0012" and "$1,234.56" never share
 * a column at two precisions ("$0.0012" above "$1,234.5600").
 */
import { formatMoney, formatMoneyFixed, moneyDecimals } from './format.ts';
import type { Cell, Table } from './tables.ts';

/** A cell showing an amount (text on its own until moneyColumns gives it its column's decimals). */
export function moneyCell(usd: number, figure?: string, strong?: boolean): Cell {
  return { text: formatMoney(usd), usd, figure, strong };
}

/** The same table with each column's amounts at the decimals of moneyDecimals over that column. */
export function moneyColumns(t: Table): Table {
  const decimals = t.headers.map((_, i) => {
    const amounts = t.rows.flatMap((r) => (r[i]?.usd === undefined ? [] : [r[i].usd as number]));
    return amounts.length ? moneyDecimals(amounts) : undefined;
  });
  return {
    ...t,
    rows: t.rows.map((r) => r.map((cell, i) => (cell.usd === undefined || decimals[i] === undefined ? cell : { ...cell, text: formatMoneyFixed(cell.usd, decimals[i]) }))),
  };
}
