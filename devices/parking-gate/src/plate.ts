// The plate rules the gates read plates by: the parking domain's one definition, shared with the parking
// server and web.
export * from '@gongxin/contracts/parking/plate';
