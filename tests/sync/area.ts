export { QUOTA_BYTES, QUOTA_BYTES_PER_ITEM } from '../../lib/sync/layout';
export { itemBytes as itemBytesOfArea } from '../../lib/sync/codec';
