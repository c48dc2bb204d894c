/** One line of `npm run bench`. */
export interface BenchFigure {
  name: string;
  value: number;
  unit: string;
  detail: string;
}
