export default {
    datasource: {
        url: process.env.DATABASE_URL,
        directUrl: process.env.DIRECT_URL
    }
}
