import { ZodError } from "zod";
import { appContext, type AppContext } from "../context";
import { DeployRefused } from "../deploy/deployJob";
import { PlanUpdateError } from "../plans/planRepository";
import { SecretBoxError } from "../secrets/secretBox";

/** An API failure with the status and the JSON body to answer with. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: { error: string; [key: string]: unknown },
  ) {
    super(body.error);
  }
}

export const notFound = (what: string) => new ApiError(404, { error: `${what} not found.` });

type RouteContext<P> = { params: Promise<P> };

/**
 * Wraps a route handler: gives it the app context and its params, and turns every failure into a
 * JSON answer with a plain message (never a stack trace).
 */
export function apiHandler<P>(handler: (input: { request: Request; params: P; ctx: AppContext }) => Promise<Response | unknown>) {
  return async (request: Request, route: RouteContext<P>): Promise<Response> => {
    try {
      const result = await handler({ request, params: await route.params, ctx: await appContext() });
      return result instanceof Response ? result : Response.json(result);
    } catch (error) {
      if (error instanceof ApiError) return Response.json(error.body, { status: error.status });
      if (error instanceof DeployRefused) return Response.json({ error: error.message, ...error.details }, { status: error.status });
      if (error instanceof PlanUpdateError) return Response.json({ error: error.message, path: error.path }, { status: 400 });
      if (error instanceof SecretBoxError) return Response.json({ error: `A stored secret cannot be read: ${error.message}` }, { status: 500 });
      if (error instanceof ZodError) {
        return Response.json({ error: "The request is not valid.", issues: error.issues.map((i) => ({ path: i.path.join("."), message: i.message })) }, { status: 400 });
      }
      console.error(`${request.method} ${new URL(request.url).pathname} failed:`, error);
      return Response.json({ error: "Something went wrong on the server; see its console." }, { status: 500 });
    }
  };
}

export async function readJson(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    throw new ApiError(400, { error: "The request body is not valid JSON." });
  }
}
