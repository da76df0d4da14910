/** Requests of ours on top of LSP, shared by the server and the client. */
export const VARIABLES_REQUEST = 'amplitude/variables';

export interface VariablesParams {
  uri: string;
}
