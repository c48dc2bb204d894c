import { describe, expect, it } from 'vitest';
import { AWS_REGIONS, isKnownRegion, isRegionCode } from '../../src/pricing/region-code.ts';

/*
 * Region codes as AWS writes them (AWS General Reference, "AWS Regions"; the GovCloud and ISO
 * partitions' codes from their own user guides): two letters, an optional partition part,
 * a direction word, a number.
 */

describe('isRegionCode: what looks like an AWS Region code', () => {
  it('takes commercial, GovCloud and ISO codes', () => {
    for (const code of ['us-east-1', 'eu-central-2', 'ap-southeast-7', 'cn-northwest-1', 'us-gov-west-1', 'us-iso-east-1', 'us-isob-east-1', 'eu-isoe-west-1']) {
      expect(isRegionCode(code), code).toBe(true);
    }
    // the shape, not the list: a Region launched after this release still passes here
    expect(isRegionCode('xx-fake-1')).toBe(true);
    expect(isRegionCode('ap-southeast-12')).toBe(true);
  });

  it('refuses names, upper case, zones and anything around a code', () => {
    for (const s of [
      'Ireland', // the name, not the code
      'US-EAST-1',
      'us-east', // no number
      'us-east-x',
      'us-east-1a', // an Availability Zone
      'xus-east-1', // more before the code
      'us-east-1 ',
      ' us-east-1',
      'u-east-1', // one-letter country part
      'use-east-1',
      'us-1',
      'us--1',
      'us-gov-1-1',
      'us-isobb-east-1', // the ISO partitions add one letter at most
      'us-east1',
      'use1', // the Price List's usage-type prefix, not a Region code
      '',
    ]) {
      expect(isRegionCode(s), JSON.stringify(s)).toBe(false);
    }
  });
});

describe('isKnownRegion: the Regions dowsim knows by name', () => {
  it('knows every partition’s Regions, the newest included', () => {
    for (const code of [
      'us-east-1', 'us-west-2', 'eu-west-1', 'eu-south-2', 'ap-northeast-3', 'sa-east-1', 'af-south-1', 'me-central-1', 'il-central-1',
      'ca-west-1', 'mx-central-1', 'ap-east-2', 'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7', // launched 2024–2025
      'us-gov-east-1', 'us-gov-west-1', 'cn-north-1', 'cn-northwest-1',
    ]) {
      expect(isKnownRegion(code), code).toBe(true);
    }
  });

  it('does not know a code that only looks like one, or a near miss', () => {
    for (const s of ['xx-fake-1', 'us-east-3', 'eu-west-4', 'EU-WEST-1', 'eu-west-1 ', '']) expect(isKnownRegion(s), s).toBe(false);
  });

  it('lists only well-formed codes, each once (the CLI suggests near ones from this list)', () => {
    for (const code of AWS_REGIONS) expect(isRegionCode(code), code).toBe(true);
    expect(new Set(AWS_REGIONS).size).toBe(AWS_REGIONS.length);
  });
});
