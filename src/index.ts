export default {
  async fetch() {
    return new Response("hi");
  },
} satisfies ExportedHandler<Env>;
export class DeliveryClaims {}
