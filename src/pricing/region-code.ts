/** Whether `s` looks like an AWS Region code (us-east-1, eu-central-2, us-gov-west-1). */
export function isRegionCode(s: string): boolean {
  return /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d+$/.test(s);
}
