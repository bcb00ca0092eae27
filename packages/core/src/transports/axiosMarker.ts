import type { InternalAxiosRequestConfig } from 'axios'
import type { RetokenRequestMarker } from './axiosConfig'

// A marker is a class instance, not a plain object: Axios' mergeConfig deep-copies a
// config's plain objects, once per request and again in its adapters (most of the cost
// of a retry's bookkeeping), and hands an instance on as it is. So a send never shares
// its marker with the config it was copied from, each one gets a new marker (mark()).
export class Marker {}
export const remark = (config: InternalAxiosRequestConfig, fields: RetokenRequestMarker) =>
  Object.assign(new Marker(), config._retoken, fields) as RetokenRequestMarker
