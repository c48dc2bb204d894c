/*
 * One GetProducts `PriceList` entry in the shape the AWS Price List API documents (product with
 * sku and attributes, serviceCode, terms.OnDemand.<sku>.<offerTermCode>.priceDimensions with
 * beginRange/endRange/unit/pricePerUnit), written from the values a test gives, so that a test
 * can say in one line what AWS would answer. Ranges and prices are strings, as AWS sends them.
 */

export interface ItemSpec {
  serviceCode: string;
  usageType: string;
  sku: string;
  /** [beginRange, endRange, USD per unit]: endRange "Inf" for an open last tier. */
  tiers: [string, string, string][];
  unit?: string;
  regionCode?: string;
  effectiveDate?: string;
}

const OFFER_TERM = 'JRTCKXETXF'; // AWS's on-demand offer term code

export function priceListItem(spec: ItemSpec): object {
  const term = `${spec.sku}.${OFFER_TERM}`;
  const priceDimensions = Object.fromEntries(
    spec.tiers.map(([beginRange, endRange, usd], i) => {
      const rateCode = `${term}.RATE${i}`;
      return [rateCode, { unit: spec.unit ?? 'Requests', beginRange, endRange, description: `${spec.usageType} tier ${i}`, appliesTo: [], rateCode, pricePerUnit: { USD: usd } }];
    }),
  );
  return {
    product: {
      productFamily: 'Serverless',
      attributes: { servicecode: spec.serviceCode, regionCode: spec.regionCode ?? 'us-east-1', usagetype: spec.usageType },
      sku: spec.sku,
    },
    serviceCode: spec.serviceCode,
    terms: {
      OnDemand: {
        [term]: {
          priceDimensions,
          sku: spec.sku,
          ...(spec.effectiveDate === undefined ? {} : { effectiveDate: spec.effectiveDate }),
          offerTermCode: OFFER_TERM,
          termAttributes: {},
        },
      },
    },
    version: '20261101000000',
    publicationDate: '2026-11-01T00:00:00Z',
  };
}
