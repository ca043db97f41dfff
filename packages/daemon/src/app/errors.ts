// Handler outcomes that are not success. A `CantDo` is answered to the sender with the reference's
// reason; any other thrown error is internal: logged, no reply (as the reference does).
import type { CantDoReason } from '@mostro/protocol';

export class CantDo extends Error {
  constructor(
    readonly reason: CantDoReason | null,
    detail?: string,
  ) {
    super(detail ?? reason ?? 'cant-do');
    this.name = 'CantDo';
  }
}

/** A request the reference drops without a reply (e.g. a second rating, a full-private counterparty). */
export class SilentDrop extends Error {
  constructor(readonly why: string) {
    super(why);
    this.name = 'SilentDrop';
  }
}
